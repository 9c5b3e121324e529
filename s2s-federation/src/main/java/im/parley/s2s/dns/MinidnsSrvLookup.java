package im.parley.s2s.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.minidns.hla.ResolverApi;
import org.minidns.hla.ResolverResult;
import org.minidns.record.SRV;

/** SRV lookups with minidns, through the system's configured resolvers. */
public final class MinidnsSrvLookup implements SrvLookup {

    @Override
    public List<SrvRecord> lookup(String name) throws IOException {
        ResolverResult<SRV> result = ResolverApi.INSTANCE.resolve(name, SRV.class);
        if (!result.wasSuccessful()) {
            return List.of();
        }
        List<SrvRecord> records = new ArrayList<>();
        for (SRV srv : result.getAnswersOrEmptySet()) {
            records.add(new SrvRecord(srv.priority, srv.weight, srv.port, srv.target.ace));
        }
        return records;
    }
}
