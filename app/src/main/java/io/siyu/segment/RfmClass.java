package io.siyu.segment;

/**
 * The eight classic RFM classes, by whether a buyer's recency, frequency and monetary scores are
 * at least the tenant's average ("high") or below it.
 */
public enum RfmClass {
    IMPORTANT_VALUE("重要价值客户", true, true, true),
    IMPORTANT_DEVELOP("重要发展客户", true, false, true),
    IMPORTANT_KEEP("重要保持客户", false, true, true),
    IMPORTANT_RETAIN("重要挽留客户", false, false, true),
    GENERAL_VALUE("一般价值客户", true, true, false),
    GENERAL_DEVELOP("一般发展客户", true, false, false),
    GENERAL_KEEP("一般保持客户", false, true, false),
    GENERAL_RETAIN("一般挽留客户", false, false, false);

    /** The tag group the classes form: a buyer is in exactly one. */
    public static final String GROUP = "RFM";

    private final String label;
    private final boolean recent;
    private final boolean frequent;
    private final boolean valuable;

    RfmClass(String label, boolean recent, boolean frequent, boolean valuable) {
        this.label = label;
        this.recent = recent;
        this.frequent = frequent;
        this.valuable = valuable;
    }

    /** The Chinese name operators know, used as the tag name. */
    public String label() {
        return label;
    }

    public static RfmClass of(boolean recent, boolean frequent, boolean valuable) {
        for (RfmClass c : values()) {
            if (c.recent == recent && c.frequent == frequent && c.valuable == valuable) {
                return c;
            }
        }
        throw new IllegalStateException("unreachable: all eight combinations are classes");
    }
}
