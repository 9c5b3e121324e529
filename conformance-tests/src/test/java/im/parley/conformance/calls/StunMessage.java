package im.parley.conformance.calls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The little of STUN (RFC 5389) and TURN (RFC 5766) a test needs to ask a TURN server for an
 * allocation: a message with its attributes (RFC 5389 §6, §15), MESSAGE-INTEGRITY with the
 * long-term credential (§10.2, §15.4) and the XOR-encoded addresses (§15.2; RFC 5766 §14.5).
 * Test code only: a client of two requests needs no more, where a STUN library (jitsi's ice4j)
 * would bring a whole ICE agent and its dependencies into the tests.
 */
final class StunMessage {

    static final int ALLOCATE_REQUEST = 0x0003;
    static final int ALLOCATE_SUCCESS = 0x0103;
    static final int ALLOCATE_ERROR = 0x0113;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int XOR_MAPPED_ADDRESS = 0x0020;

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int HEADER = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int type;
    private final byte[] transactionId;
    private final Map<Integer, byte[]> attributes;

    private StunMessage(int type, byte[] transactionId, Map<Integer, byte[]> attributes) {
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = attributes;
    }

    static StunMessage request(int type) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return new StunMessage(type, id, new LinkedHashMap<>());
    }

    /** RFC 5766 §14.7: REQUESTED-TRANSPORT, protocol 17 (UDP) and three bytes RFFU. */
    StunMessage requestingUdp() {
        attributes.put(REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0});
        return this;
    }

    StunMessage with(int attribute, String value) {
        attributes.put(attribute, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    int type() {
        return type;
    }

    boolean answers(StunMessage request) {
        return Arrays.equals(transactionId, request.transactionId);
    }

    String text(int attribute) {
        byte[] value = attributes.get(attribute);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** RFC 5389 §15.6: class × 100 + number. */
    int errorCode() {
        byte[] value = attributes.get(ERROR_CODE);
        return value == null ? 0 : (value[2] & 0x07) * 100 + (value[3] & 0xff);
    }

    /** RFC 5389 §15.2 (RFC 5766 §14.5 for the relayed one): port and IPv4 address XORed with the cookie. */
    InetSocketAddress xorAddress(int attribute) throws UnknownHostException {
        byte[] value = attributes.get(attribute);
        if (value == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        in.get();
        if (in.get() != 0x01) {
            throw new IllegalStateException("only IPv4 addresses are expected on loopback");
        }
        int port = (in.getShort() & 0xffff) ^ (MAGIC_COOKIE >>> 16);
        int address = in.getInt() ^ MAGIC_COOKIE;
        return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array()), port);
    }

    byte[] encode() {
        return encode(null);
    }

    /**
     * RFC 5389 §15.4: the HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, with the length in the
     * header already counting it; for long-term credentials (§15.4) the key is
     * MD5(username ":" realm ":" password).
     */
    byte[] encodeWithIntegrity(String username, String realm, String password) {
        try {
            byte[] key = MessageDigest.getInstance("MD5").digest((username + ":" + realm + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            return encode(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] encode(byte[] integrityKey) {
        ByteBuffer out = ByteBuffer.allocate(1500);
        out.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        attributes.forEach((attribute, value) -> {
            out.putShort(attribute.shortValue()).putShort((short) value.length).put(value);
            while (out.position() % 4 != 0) {
                out.put((byte) 0);
            }
        });
        if (integrityKey != null) {
            out.putShort(2, (short) (out.position() - HEADER + 24));
            byte[] hmac = hmacSha1(integrityKey, Arrays.copyOf(out.array(), out.position()));
            out.putShort((short) MESSAGE_INTEGRITY).putShort((short) hmac.length).put(hmac);
        }
        out.putShort(2, (short) (out.position() - HEADER));
        return Arrays.copyOf(out.array(), out.position());
    }

    static StunMessage decode(byte[] packet, int length) {
        ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
        int type = in.getShort() & 0xffff;
        int bodyLength = in.getShort() & 0xffff;
        if (in.getInt() != MAGIC_COOKIE || bodyLength + HEADER != length) {
            throw new IllegalArgumentException("not a STUN message");
        }
        byte[] id = new byte[12];
        in.get(id);
        Map<Integer, byte[]> attributes = new LinkedHashMap<>();
        while (in.remaining() >= 4) {
            int attribute = in.getShort() & 0xffff;
            byte[] value = new byte[in.getShort() & 0xffff];
            in.get(value);
            in.position(Math.min(length, (in.position() + 3) & ~3));
            attributes.put(attribute, value);
        }
        return new StunMessage(type, id, attributes);
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
