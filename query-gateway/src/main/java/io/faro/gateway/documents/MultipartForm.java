package io.faro.gateway.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.document.DocumentFormat;
import io.faro.core.json.Json;
import io.faro.gateway.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.commons.fileupload.FileItemIterator;
import org.apache.commons.fileupload.FileItemStream;
import org.apache.commons.fileupload.FileUpload;
import org.apache.commons.fileupload.FileUploadBase;
import org.apache.commons.fileupload.FileUploadException;
import org.apache.commons.fileupload.UploadContext;

/**
 * A {@code multipart/form-data} upload, read with Apache Commons FileUpload: one {@code file} part, and
 * optionally {@code id}, {@code title}, {@code metadata} (a JSON object), {@code tenant} and {@code acl}
 * (group names, comma-separated or the part repeated) parts. The file's format is its
 * part's {@code Content-Type}, or, when that says nothing ({@code application/octet-stream}, as curl sends
 * for most files), its name's extension.
 *
 * @param fileName    the file's name, without any directory a browser may send with it
 * @param format   the file's format, one FARO takes
 */
record MultipartForm(Optional<String> id, Optional<String> title, Optional<ObjectNode> metadata,
                     Optional<String> fileName, DocumentFormat format, byte[] file, Optional<String> tenant,
                     List<String> acl) {

    static final String FILE = "file";
    static final String ID = "id";
    static final String TITLE = "title";
    static final String METADATA = "metadata";
    static final String TENANT = "tenant";
    static final String ACL = "acl";
    /** Room for the parts' headers and the small parts besides the file. */
    static final int FORM_OVERHEAD_BYTES = 64 * 1024;
    private static final int FIELD_BYTES = 16 * 1024;

    static MultipartForm read(ServerRequest request, String contentType, int maxFileBytes) {
        int limit = maxFileBytes + FORM_OVERHEAD_BYTES;
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw UploadReader.tooLarge(maxFileBytes);
        }
        FileUpload upload = new FileUpload();
        upload.setSizeMax(limit);
        upload.setFileSizeMax(maxFileBytes);
        upload.setHeaderEncoding(StandardCharsets.UTF_8.name());
        Parts parts = new Parts();
        try (InputStream body = request.content().inputStream()) {
            FileItemIterator items = upload.getItemIterator(new Body(contentType, declared, body));
            while (items.hasNext()) {
                parts.add(items.next(), maxFileBytes);
            }
        } catch (FileUploadBase.SizeLimitExceededException | FileUploadBase.FileSizeLimitExceededException e) {
            throw UploadReader.tooLarge(maxFileBytes);
        } catch (FileUploadBase.FileUploadIOException e) {
            if (e.getCause() instanceof FileUploadBase.SizeLimitExceededException
                    || e.getCause() instanceof FileUploadBase.FileSizeLimitExceededException) {
                throw UploadReader.tooLarge(maxFileBytes);
            }
            throw unreadable(e.getCause());
        } catch (FileUploadException | IOException e) {
            throw unreadable(e);
        }
        return parts.form();
    }

    private static ProblemException unreadable(Throwable e) {
        return ProblemException.badRequest("the multipart/form-data body cannot be read (" + e.getMessage()
                + "); send a 'file' part, and 'id', 'title' or 'metadata' parts if you like");
    }

    /** The parts as they come. */
    private static final class Parts {
        private Optional<String> id = Optional.empty();
        private Optional<String> title = Optional.empty();
        private Optional<ObjectNode> metadata = Optional.empty();
        private Optional<String> fileName = Optional.empty();
        private Optional<String> tenant = Optional.empty();
        private final List<String> acl = new java.util.ArrayList<>();
        private DocumentFormat fileType;
        private byte[] file;

        void add(FileItemStream item, int maxFileBytes) throws IOException {
            String name = item.getFieldName() == null ? "" : item.getFieldName();
            switch (name) {
                case FILE -> {
                    if (file != null) {
                        throw ProblemException.badRequest("send one 'file' part per upload, not more");
                    }
                    fileName = Optional.ofNullable(item.getName()).map(MultipartForm::lastSegment)
                            .filter(s -> !s.isBlank());
                    fileType = fileType(Optional.ofNullable(item.getContentType()), fileName);
                    try (InputStream in = item.openStream()) {
                        file = UploadReader.readAtMost(in, maxFileBytes);
                    }
                }
                case ID -> id = Optional.of(field(item));
                case TITLE -> title = Optional.of(field(item));
                case METADATA -> metadata = Optional.of(metadata(field(item)));
                case TENANT -> tenant = Optional.of(field(item));
                case ACL -> acl.add(field(item));
                default -> throw ProblemException.badRequest("the form has an unknown part '" + name + "'; its parts"
                        + " are 'file', and optionally 'id', 'title', 'metadata', 'tenant' and 'acl'");
            }
        }

        MultipartForm form() {
            if (file == null) {
                throw ProblemException.badRequest("the form has no 'file' part: send the document as"
                        + " -F file=@report.pdf");
            }
            if (file.length == 0) {
                throw ProblemException.badRequest("the 'file' part is empty");
            }
            return new MultipartForm(id, title, metadata, fileName, fileType, file, tenant, List.copyOf(acl));
        }
    }

    private static DocumentFormat fileType(Optional<String> partType, Optional<String> fileName) {
        Optional<String> declared = partType
                .filter(type -> !DocumentFormat.baseType(type).equals(DocumentFormat.OCTET_STREAM));
        if (declared.isPresent()) {
            return DocumentContract.format(declared.get());
        }
        return fileName.flatMap(DocumentFormat::ofFileName).orElseThrow(() -> ProblemException.unsupportedMediaType(
                "say what format the 'file' part is in, with its Content-Type or a file name ending in "
                        + String.join(", ", DocumentFormat.allExtensions()) + "; FARO takes "
                        + String.join(", ", DocumentFormat.mimeTypes())));
    }

    private static String field(FileItemStream item) throws IOException {
        try (InputStream in = item.openStream()) {
            byte[] bytes = in.readNBytes(FIELD_BYTES + 1);
            if (bytes.length > FIELD_BYTES) {
                throw ProblemException.badRequest("the '" + item.getFieldName() + "' part is over " + FIELD_BYTES
                        + " bytes");
            }
            return UploadReader.utf8(bytes);
        }
    }

    private static ObjectNode metadata(String json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("'metadata' is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.badRequest("'metadata' must be a JSON object");
        }
        return object;
    }

    /** {@code C:\Users\me\report.pdf} (old browsers send the path) as {@code report.pdf}. */
    private static String lastSegment(String name) {
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    /** The request as FileUpload reads it. */
    private record Body(String contentType, long contentLength, InputStream body) implements UploadContext {

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        @Deprecated
        public int getContentLength() {
            return (int) Math.min(contentLength, Integer.MAX_VALUE);
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }
    }
}
