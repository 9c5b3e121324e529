package im.parley.core.sasl;

/** Ends an exchange with a failure condition; internal to the mechanisms, never thrown to callers. */
final class SaslFailureException extends Exception {

    private final SaslFailure failure;

    SaslFailureException(SaslFailure failure, String text) {
        super(text, null, false, false);
        this.failure = failure;
    }

    SaslStep.Failure toStep() {
        return new SaslStep.Failure(failure, getMessage());
    }
}
