package io.faro.documents.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Real files of every format FARO reads, made by the format's own library (PDFBox, Apache POI), for tests
 * here and in the modules that publish them: good ones with known pages, slides, sheets and headings, and
 * bad ones (encrypted, truncated, a zip bomb).
 */
public final class SampleFiles {

    public static final String PDF = "application/pdf";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private SampleFiles() {
    }

    /** A PDF with one page per argument, each page's text in lines of at most 90 characters. */
    public static byte[] pdf(String... pages) {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String page : pages) {
                addPage(document, font, page);
            }
            return save(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PDF that opens only with the user password "secret". */
    public static byte[] encryptedPdf(String text) {
        try (PDDocument document = new PDDocument()) {
            addPage(document, new PDType1Font(Standard14Fonts.FontName.HELVETICA), text);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            return save(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addPage(PDDocument document, PDType1Font font, String text) throws IOException {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.beginText();
            content.setFont(font, 11);
            content.setLeading(14);
            content.newLineAtOffset(50, 740);
            for (String line : lines(text, 90)) {
                content.showText(encodable(font, line));
                content.newLine();
            }
            content.endText();
        }
    }

    /** The line with what the standard font cannot show (it has no CJK, say) replaced by '?'. */
    private static String encodable(PDType1Font font, String line) {
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints().forEach(cp -> {
            String ch = Character.toString(cp);
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IllegalArgumentException | IOException e) {
                out.append('?');
            }
        });
        return out.toString();
    }

    private static byte[] save(PDDocument document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
    }

    private static List<String> lines(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (line.length() + word.length() + 1 > width && !line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "" : " ").append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A Word file: an argument starting with {@code "# "} is a Heading 1, {@code "## "} a Heading 2 (and so on to
     * 3), anything else a paragraph.
     */
    public static byte[] docx(String... blocks) {
        try (XWPFDocument document = new XWPFDocument()) {
            XWPFStyles styles = document.createStyles();
            for (int level = 1; level <= 3; level++) {
                CTStyle style = CTStyle.Factory.newInstance();
                style.setStyleId("Heading" + level);
                style.setType(STStyleType.PARAGRAPH);
                style.addNewName().setVal("heading " + level);
                styles.addStyle(new XWPFStyle(style));
            }
            for (String block : blocks) {
                XWPFParagraph paragraph = document.createParagraph();
                int level = block.startsWith("### ") ? 3 : block.startsWith("## ") ? 2 : block.startsWith("# ") ? 1 : 0;
                if (level > 0) {
                    paragraph.setStyle("Heading" + level);
                }
                paragraph.createRun().setText(level > 0 ? block.substring(level + 1) : block);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Word file that opens only with the password "secret" (OOXML agile encryption, as Word writes it). */
    public static byte[] encryptedDocx(String... blocks) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword("secret");
            try (OutputStream data = encryptor.getDataStream(fs)) {
                data.write(docx(blocks));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deck with one text box per slide. */
    public static byte[] pptx(String... slides) {
        try (XMLSlideShow show = new XMLSlideShow()) {
            for (String text : slides) {
                XSLFSlide slide = show.createSlide();
                XSLFTextBox box = slide.createTextBox();
                box.setAnchor(new java.awt.geom.Rectangle2D.Double(40, 40, 600, 400));
                box.setText(text);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A workbook: sheet name to rows, each row's cells separated by {@code |}; a cell starting with = is a formula. */
    public static byte[] xlsx(Map<String, List<String>> sheets) {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            for (Map.Entry<String, List<String>> sheet : new LinkedHashMap<>(sheets).entrySet()) {
                XSSFSheet s = workbook.createSheet(sheet.getKey());
                List<String> rows = sheet.getValue();
                for (int r = 0; r < rows.size(); r++) {
                    var row = s.createRow(r);
                    String[] cells = rows.get(r).split("\\|");
                    for (int c = 0; c < cells.length; c++) {
                        String cell = cells[c].strip();
                        if (cell.startsWith("=")) {
                            row.createCell(c).setCellFormula(cell.substring(1));
                        } else {
                            row.createCell(c).setCellValue(cell);
                        }
                    }
                }
            }
            workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] html(String html) {
        return html.getBytes(StandardCharsets.UTF_8);
    }

    /** The first {@code share} of the bytes, as a download cut short leaves them. */
    public static byte[] truncated(byte[] file, double share) {
        return Arrays.copyOf(file, (int) (file.length * share));
    }

    /**
     * A Word file whose body is {@code characters} times the letter a: a few kilobytes of zip that inflate a
     * thousandfold, the shape of a zip bomb.
     */
    public static byte[] zipBombDocx(int characters) {
        byte[] template = docx("placeholder");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(template));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("word/document.xml")) {
                    zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document "
                            + "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>")
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] block = new byte[64 * 1024];
                    Arrays.fill(block, (byte) 'a');
                    for (int written = 0; written < characters; written += block.length) {
                        zip.write(block, 0, Math.min(block.length, characters - written));
                    }
                    zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
