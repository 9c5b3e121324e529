package im.parley.s2s.dns;

import java.io.IOException;
import java.util.List;

/** Looks up the SRV records of a name; blocking, so only ever called off the event loops. */
public interface SrvLookup {

    /** The records (unordered), empty when the name has none. */
    List<SrvRecord> lookup(String name) throws IOException;
}
