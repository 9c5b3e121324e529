package im.parley.sdk;

/** A registered listener; {@link #cancel()} stops it being called. */
@FunctionalInterface
public interface Cancellable {

    /** Removes the listener. Calling it again does nothing. */
    void cancel();
}
