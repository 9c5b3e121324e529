package im.parley.server.config;

import java.nio.file.Path;

/** PEM files of one domain's certificate chain and private key (e.g. from Let's Encrypt). */
public record CertificateFiles(Path certificate, Path privateKey) {
}
