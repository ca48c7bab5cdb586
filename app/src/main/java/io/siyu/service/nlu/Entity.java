package io.siyu.service.nlu;

/**
 * Something recognised in a message. {@code start}/{@code end} are UTF-16 offsets into the text as
 * the person wrote it, end exclusive. {@code value} is the canonical form: digits for order numbers
 * and phones, ISO-8601 for dates and times, a plain decimal in yuan for amounts, the catalogue name
 * for products and categories.
 */
public record Entity(String type, String value, int start, int end) {

    public static final String ORDER_NUMBER = "order_number";
    public static final String PHONE = "phone";
    public static final String DATE = "date";
    public static final String DATETIME = "datetime";
    public static final String AMOUNT = "amount";
    public static final String PRODUCT = "product";
    public static final String CATEGORY = "category";

    public Entity {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end + " for " + type);
        }
    }
}
