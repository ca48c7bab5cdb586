package io.siyu.service.nlu;

import java.util.List;

/** The intent label set (issue 6), fixed: models, data and the dialogue all use exactly these. */
public final class Intents {

    public static final String GREETING = "greeting";
    public static final String ORDER_STATUS = "order_status";
    public static final String SHIPPING_TIME = "shipping_time";
    public static final String RETURN_REFUND = "return_refund";
    public static final String EXCHANGE = "exchange";
    public static final String COUPON = "coupon";
    public static final String PROMOTION = "promotion";
    public static final String PRODUCT_INFO = "product_info";
    public static final String STOCK_CHECK = "stock_check";
    public static final String INVOICE = "invoice";
    public static final String ADDRESS_CHANGE = "address_change";
    public static final String ACCOUNT = "account";
    public static final String MEMBERSHIP_POINTS = "membership_points";
    public static final String PAYMENT_ISSUE = "payment_issue";
    public static final String COMPLAINT = "complaint";
    public static final String HUMAN_AGENT = "human_agent";
    public static final String GOODBYE = "goodbye";
    /** Not a class of the model: what a prediction becomes below the calibrated confidence threshold. */
    public static final String FALLBACK = "fallback";

    public static final List<String> LABELS = List.of(GREETING, ORDER_STATUS, SHIPPING_TIME, RETURN_REFUND, EXCHANGE,
            COUPON, PROMOTION, PRODUCT_INFO, STOCK_CHECK, INVOICE, ADDRESS_CHANGE, ACCOUNT, MEMBERSHIP_POINTS,
            PAYMENT_ISSUE, COMPLAINT, HUMAN_AGENT, GOODBYE);

    private Intents() {}
}
