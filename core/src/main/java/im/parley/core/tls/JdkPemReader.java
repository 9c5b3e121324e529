package im.parley.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the PEM files most servers have, CERTIFICATE blocks and one PKCS#8 {@code PRIVATE KEY}
 * (RFC 7468 §5 and §10: what Parley writes and what certbot writes), with the JDK alone. A start
 * with such files then loads no BouncyCastle class (issue 19): its jars are signed, so class data
 * sharing cannot hold their classes, and the first class loaded from them costs a check of the
 * jar's signature. Anything else (PKCS#1 or SEC1 keys, parameter blocks, a damaged file) is left
 * to {@link PemFiles}' BouncyCastle reader, which knows more encodings and says what is wrong.
 */
final class JdkPemReader {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private JdkPemReader() {
    }

    /** The chain and its key, or empty if either file holds anything this reader does not take. */
    static Optional<KeyMaterial> read(Path certificateChainPem, Path privateKeyPem) {
        try {
            List<Block> chainBlocks = blocks(certificateChainPem);
            List<Block> keyBlocks = blocks(privateKeyPem);
            if (chainBlocks.isEmpty() || keyBlocks.size() != 1 || !keyBlocks.get(0).label().equals("PRIVATE KEY")
                    || chainBlocks.stream().anyMatch(block -> !block.label().equals("CERTIFICATE"))) {
                return Optional.empty();
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (Block block : chainBlocks) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
            // The key is the leaf's: PKCS#8 names its algorithm too, but the JDK reads it from the key factory.
            PrivateKey key = KeyFactory.getInstance(chain.get(0).getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(keyBlocks.get(0).der()));
            return Optional.of(new KeyMaterial(key, chain));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The file's blocks in order (RFC 7468 §3: the strict grammar, Base64 without anything else;
     * text between blocks is ignored, §2).
     */
    private static List<Block> blocks(Path file) throws IOException {
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder base64 = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String trimmed = line.strip();
            if (label == null) {
                if (trimmed.startsWith(BEGIN) && trimmed.endsWith(DASHES)) {
                    label = trimmed.substring(BEGIN.length(), trimmed.length() - DASHES.length());
                    base64.setLength(0);
                }
            } else if (trimmed.equals(END + label + DASHES)) {
                blocks.add(new Block(label, Base64.getDecoder().decode(base64.toString())));
                label = null;
            } else {
                base64.append(trimmed);
            }
        }
        if (label != null) {
            throw new IOException("unterminated PEM block " + label);
        }
        return blocks;
    }

    private record Block(String label, byte[] der) {
    }
}
