package io.faro.stores.qdrant;

import io.faro.core.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/** Where Qdrant's gRPC port is: {@code http://host:6334}, or {@code https://} for TLS. */
record QdrantAddress(String host, int port, boolean tls) {

    static final int DEFAULT_GRPC_PORT = 6334;

    static QdrantAddress parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                throw new URISyntaxException(url, "expected http://HOST:PORT or https://HOST:PORT");
            }
            return new QdrantAddress(uri.getHost(), uri.getPort() < 0 ? DEFAULT_GRPC_PORT : uri.getPort(),
                    "https".equals(scheme));
        } catch (URISyntaxException e) {
            throw new ConfigException("FARO_QDRANT_URL=" + url + " is not a Qdrant gRPC address; write it as "
                    + "http://HOST:6334 (https:// for TLS)");
        }
    }
}
