package im.parley.core.sasl;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Channel binding data of a pretend TLS connection, by type name. */
record FakeChannelBinding(Map<String, byte[]> data) implements ChannelBindingSource {

    @Override
    public Set<String> supportedTypes() {
        return data.keySet();
    }

    @Override
    public Optional<byte[]> data(String type) {
        return Optional.ofNullable(data.get(type)).map(byte[]::clone);
    }
}
