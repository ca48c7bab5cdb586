package io.siyu.referral;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A share poster: a PNG with a QR code of the sharer's link (quiet zone and error correction level M,
 * so a phone camera reads it from a screenshot of a screenshot) and the code printed underneath for
 * people who type it in.
 */
final class Poster {

    static final int WIDTH = 600;
    static final int HEIGHT = 760;
    private static final int QR = 520;
    private static final Color INK = new Color(0x1F2937);
    private static final Color ACCENT = new Color(0xE11D48);

    private Poster() {}

    /** The poster as PNG bytes. */
    static byte[] png(String link, String code) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(link, BarcodeFormat.QR_CODE, QR, QR, Map.of(EncodeHintType.ERROR_CORRECTION,
                    ErrorCorrectionLevel.M, EncodeHintType.CHARACTER_SET, "UTF-8", EncodeHintType.MARGIN, 2));
        } catch (WriterException e) {
            throw new IllegalArgumentException("the share link does not fit a QR code: " + e.getMessage(), e);
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(ACCENT);
            g.fillRect(0, 0, WIDTH, 60);
            int left = (WIDTH - QR) / 2;
            int top = 90;
            g.setColor(Color.BLACK);
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    if (matrix.get(x, y)) {
                        g.fillRect(left + x, top + y, 1, 1);
                    }
                }
            }
            caption(g, code, top + QR + 70);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32_768);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Prints the code. A JDK without any font (a bare container) cannot draw text at all and fails
     * with an Error; the QR code is what matters, so the poster goes out without the caption then.
     */
    private static void caption(Graphics2D g, String code, int baseline) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(INK);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 40));
            int width = g.getFontMetrics().stringWidth(code);
            g.drawString(code, (WIDTH - width) / 2, baseline);
        } catch (Error e) { // NOSONAR: fontconfig's InternalError / UnsatisfiedLinkError on a font-less machine
            // no caption
        }
    }
}
