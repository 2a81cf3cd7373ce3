package io.faro.gateway.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.access.AccessScope;
import io.faro.core.config.FaroConfig;
import io.faro.core.document.DocumentFormat;
import io.faro.core.json.Json;
import io.faro.gateway.http.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads an upload, {@code POST /v1/documents}, in any of its three forms, into a checked record:
 * <ul>
 *   <li>{@code application/json}: the document itself, as on the topic;</li>
 *   <li>{@code multipart/form-data}: a {@code file} part and optional {@code id}, {@code title} and
 *       {@code metadata} parts ({@link MultipartForm});</li>
 *   <li>any format FARO takes ({@link DocumentFormat}), as the raw body, with {@code id} and {@code title}
 *       as query parameters.</li>
 *   <li>in each, {@code tenant} and {@code acl} as query parameters (or form fields), within what the caller may
 *       name ({@link DocumentAccess}).</li>
 * </ul>
 * Plain text and Markdown become the document's {@code text}; every other format goes inline as
 * {@code content_base64} with its {@code content_type}. No body may be larger than a document record may be
 * ({@code FARO_MAX_DOCUMENT_BYTES}); a multipart body has a little room for its part headers besides.
 */
final class UploadReader {

    static final String ID_PARAMETER = "id";
    static final String TITLE_PARAMETER = "title";
    static final String MULTIPART_FORM_DATA = "multipart/form-data";

    private final int maxDocumentBytes;
    private final DocumentContract contract;

    UploadReader(int maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.contract = new DocumentContract(maxDocumentBytes);
    }

    /** The upload as a record, in the tenant {@code scope} may publish to ({@link DocumentAccess}). */
    DocumentRecord read(ServerRequest request, AccessScope scope) {
        String contentType = request.headers().first(HeaderNames.CONTENT_TYPE)
                .orElseThrow(() -> ProblemException.unsupportedMediaType("say what the body is with a Content-Type:"
                        + " application/json (a document), multipart/form-data (a file upload), or the file's own"
                        + " type, one of " + String.join(", ", DocumentFormat.mimeTypes())));
        String media = DocumentFormat.baseType(contentType);
        if (media.equals("application/json") || media.endsWith("+json")) {
            ObjectNode document = json(readBody(request, maxDocumentBytes));
            DocumentAccess.apply(document, scope, tenantParameter(request), aclParameter(request));
            return contract.check(document);
        }
        if (media.equals(MULTIPART_FORM_DATA)) {
            MultipartForm form = MultipartForm.read(request, contentType, maxDocumentBytes);
            String text = form.format().isPlainText() ? utf8(form.file()) : null;
            // a file's name is its id and title unless the form gives them
            ObjectNode document = document(form.id().or(form::fileName), form.title().or(form::fileName),
                    form.metadata(), form.format().mimeType(), form.file(), text);
            DocumentAccess.apply(document, scope, form.tenant().or(() -> tenantParameter(request)),
                    form.acl().isEmpty() ? aclParameter(request) : form.acl());
            return contract.check(document);
        }
        DocumentFormat format = DocumentContract.format(contentType);
        byte[] body = readBody(request, maxDocumentBytes);
        String text = format.isPlainText() ? decode(body, request.headers().contentType()) : null;
        ObjectNode document = document(request.query().first(ID_PARAMETER).asOptional(),
                request.query().first(TITLE_PARAMETER).asOptional(), Optional.empty(), format.mimeType(), body, text);
        DocumentAccess.apply(document, scope, tenantParameter(request), aclParameter(request));
        return contract.check(document);
    }

    private static Optional<String> tenantParameter(ServerRequest request) {
        return request.query().first(DocumentAccess.TENANT).asOptional();
    }

    private static List<String> aclParameter(ServerRequest request) {
        return request.query().contains(DocumentAccess.ACL) ? request.query().all(DocumentAccess.ACL) : List.of();
    }

    /** The document of a file: its text when it is text ({@code text} not null), else its bytes in base64. */
    private static ObjectNode document(Optional<String> id, Optional<String> title, Optional<ObjectNode> metadata,
                                       String contentType, byte[] bytes, String text) {
        ObjectNode document = Json.mapper().createObjectNode();
        id.ifPresent(value -> document.put(DocumentContract.ID, value));
        title.ifPresent(value -> document.put(DocumentContract.TITLE, value));
        metadata.ifPresent(value -> document.set(DocumentContract.METADATA, value));
        if (text != null) {
            document.put(DocumentContract.TEXT, text);
        } else {
            document.put(DocumentContract.CONTENT_BASE64, Base64.getEncoder().encodeToString(bytes));
            document.put(DocumentContract.CONTENT_TYPE, contentType);
        }
        return document;
    }

    private static ObjectNode json(byte[] body) {
        if (body.length == 0) {
            throw ProblemException.badRequest("the request has no body; send a document as a JSON object");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("the body cannot be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode document)) {
            throw ProblemException.badRequest("the body must be a document, a JSON object");
        }
        return document;
    }

    /** The body, or a 413 as soon as it says, or shows, it is over {@code limit} bytes. */
    static byte[] readBody(ServerRequest request, int limit) {
        if (request.headers().contentLength().orElse(-1) > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.content().inputStream()) {
            return readAtMost(in, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    static ProblemException tooLarge(int limit) {
        return ProblemException.tooLarge("the upload is over " + limit + " bytes (" + FaroConfig.MAX_DOCUMENT_BYTES
                + "); a larger file goes through S3: publish its content_ref (s3://bucket/key)");
    }

    /** A text body in its declared charset (UTF-8 when none is), or a 400 when it is not in it. */
    private static String decode(byte[] body, Optional<HttpMediaType> type) {
        Charset charset;
        try {
            charset = type.flatMap(HttpMediaType::charset).map(Charset::forName).orElse(StandardCharsets.UTF_8);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw ProblemException.unsupportedMediaType("the charset '" + e.getMessage() + "' is unknown; send UTF-8");
        }
        return decode(body, charset);
    }

    static String utf8(byte[] bytes) {
        return decode(bytes, StandardCharsets.UTF_8);
    }

    private static String decode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the text is not valid " + charset.name() + "; send it in UTF-8 or say"
                    + " its charset in the Content-Type");
        }
    }
}
