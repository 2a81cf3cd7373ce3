package io.faro.gateway.documents;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A {@code multipart/form-data} request body, written out as a browser or curl writes one: for tests. */
public final class MultipartBody {

    private static final String BOUNDARY = "----faro-test-boundary-7MA4YWxkTrZu0gW";
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public MultipartBody field(String name, String value) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        write("\r\n");
        return this;
    }

    public MultipartBody file(String name, String fileName, String contentType, byte[] content) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    /** A POST of the form to {@code uri}; the form is complete once this is called. */
    public HttpRequest post(URI uri) {
        return post(uri, "X-No-Header", "");
    }

    /** The same, with one more request header. */
    public HttpRequest post(URI uri, String header, String value) {
        write("--" + BOUNDARY + "--\r\n");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (!value.isEmpty()) {
            request.header(header, value);
        }
        return request.build();
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
