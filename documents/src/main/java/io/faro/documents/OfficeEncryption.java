package io.faro.documents;

import io.faro.core.document.DocumentFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.poi.poifs.crypt.Decryptor;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Office encrypts a DOCX, PPTX or XLSX by wrapping it in an OLE2 container (an {@code EncryptionInfo} stream
 * and the {@code EncryptedPackage}); Tika's OOXML parser only sees "not a zip". This tells the two apart
 * before parsing: an encrypted file is refused as encrypted, any other OLE2 file as a legacy binary format.
 */
final class OfficeEncryption {

    private OfficeEncryption() {
    }

    static void refuseEncrypted(byte[] bytes, DocumentFormat format) throws IOException {
        if (FileMagic.valueOf(bytes) != FileMagic.OLE2) {
            return;
        }
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(bytes))) {
            if (fs.getRoot().hasEntry(Decryptor.DEFAULT_POIFS_ENTRY) || fs.getRoot().hasEntry("EncryptionInfo")) {
                throw new ExtractionException(ExtractionException.Reason.ENCRYPTED, "the " + format
                        + " is encrypted (protected by a password); publish it unprotected");
            }
        }
        throw new ExtractionException(ExtractionException.Reason.CORRUPT, "the " + format + " is an OLE2 file, the "
                + "binary format of Office 97-2003 (.doc, .ppt, .xls), which FARO does not read; save it as " + format);
    }
}
