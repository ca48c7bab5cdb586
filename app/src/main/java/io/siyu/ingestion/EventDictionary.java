package io.siyu.ingestion;

import io.siyu.platform.InvalidInput.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The standard events, defined once with their property schemas: Segment's E-commerce spec names
 * where they exist, plus the private-domain events of WeCom, groups, sharing and messaging. A
 * tracked event with one of these names must satisfy its schema; other names are custom events
 * and pass unchecked, as in Segment.
 */
public final class EventDictionary {

    /** The JSON type a property must have. */
    public enum Type { STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT }

    /** One property rule; {@code min} applies to numbers, {@code maxLength} to strings. */
    public record Property(String name, Type type, boolean required, Double min, Integer maxLength, String description) {}

    /** A standard event and its schema. */
    public record Schema(String name, String category, String description, List<Property> properties) {}

    private static final Map<String, Schema> SCHEMAS = new LinkedHashMap<>();
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?\\d{1,15}(\\.\\d{1,6})?");

    static {
        Property productId = opt("product_id", Type.STRING, "商品 ID / product id");
        Property sku = opt("sku", Type.STRING, "SKU");
        Property category = opt("category", Type.STRING, "品类 / product category");
        Property name = opt("name", Type.STRING, "商品名 / product name");
        Property price = money("price", false, "单价 (元) / unit price in yuan");
        Property quantity = new Property("quantity", Type.INTEGER, false, 1.0, null, "数量 / quantity");
        Property orderId = req("order_id", Type.STRING, "订单号 / order id");
        Property products = opt("products", Type.ARRAY, "商品列表 / products in the order");
        Property currency = new Property("currency", Type.STRING, false, null, 3, "ISO 4217, default CNY");
        Property coupon = opt("coupon", Type.STRING, "优惠券码 / coupon code");

        define("Product Viewed", "ecommerce", "浏览商品 / viewed a product",
                productId, sku, category, name, price, opt("duration_ms", Type.INTEGER, "停留时长 / time on page, ms"));
        define("Product Clicked", "ecommerce", "点击商品 / clicked a product", productId, sku, category, name, price);
        define("Product Added", "ecommerce", "加入购物车 / added to cart", productId, sku, category, name, price, quantity);
        define("Product Removed", "ecommerce", "移出购物车 / removed from cart", productId, sku, category, quantity);
        define("Product Added to Wishlist", "ecommerce", "收藏 / favourited a product", productId, sku, category, name);
        define("Product Searched", "ecommerce", "搜索 / searched", req("query", Type.STRING, "搜索词 / search text"));
        define("Cart Viewed", "ecommerce", "查看购物车 / viewed the cart", products);
        define("Checkout Started", "ecommerce", "开始结算 / started checkout",
                opt("order_id", Type.STRING, "订单号"), money("value", false, "金额 (元)"), money("revenue", false, "金额 (元)"),
                currency, products, coupon);
        define("Order Completed", "ecommerce", "下单支付完成 / order paid",
                orderId, money("total", false, "实付金额 (元) / amount paid"), money("revenue", false, "收入 (元)"),
                money("discount", false, "优惠 (元)"), money("shipping", false, "运费 (元)"), currency, products, coupon);
        define("Order Cancelled", "ecommerce", "取消订单 / order cancelled", orderId, money("total", false, "金额 (元)"),
                opt("reason", Type.STRING, "原因 / reason"));
        define("Order Refunded", "ecommerce", "退款 / order refunded", orderId, money("total", false, "退款金额 (元)"),
                products, opt("reason", Type.STRING, "原因 / reason"));
        define("Coupon Applied", "ecommerce", "使用优惠券 / coupon applied at checkout",
                opt("order_id", Type.STRING, "订单号"), req("coupon_id", Type.STRING, "优惠券 ID"), money("discount", false, "优惠 (元)"));
        define("Coupon Claimed", "coupon", "领取优惠券 / coupon claimed", req("coupon_id", Type.STRING, "优惠券 ID"),
                opt("campaign_id", Type.STRING, "活动 ID"));
        define("Coupon Redeemed", "coupon", "核销优惠券 / coupon redeemed", req("coupon_id", Type.STRING, "优惠券 ID"),
                opt("order_id", Type.STRING, "订单号"), money("discount", false, "优惠 (元)"));
        // Coupons (issue 5, channels & coupons): the rest of a coupon's life; Claimed and Redeemed are above.
        define("Coupon Issued", "coupon", "发放优惠券 / coupon given to the person (journey, operator, bulk)",
                req("coupon_id", Type.STRING, "券码 / coupon code"), opt("template_id", Type.STRING, "券模板 ID / coupon template"));
        define("Coupon Expired", "coupon", "优惠券过期 / coupon expired unused",
                req("coupon_id", Type.STRING, "券码 / coupon code"), opt("template_id", Type.STRING, "券模板 ID / coupon template"));
        define("Coupon Voided", "coupon", "优惠券作废 / coupon voided by an operator",
                req("coupon_id", Type.STRING, "券码 / coupon code"), opt("template_id", Type.STRING, "券模板 ID / coupon template"));
        define("Signed Up", "account", "注册 / signed up", opt("method", Type.STRING, "注册方式 / method"));
        define("Logged In", "account", "登录 / logged in", opt("method", Type.STRING, "登录方式 / method"));
        define("Shared", "social", "分享 / shared content", opt("share_via", Type.STRING, "渠道 / e.g. wechat_friend, moments"),
                opt("content_type", Type.STRING, "内容类型"), opt("content_id", Type.STRING, "内容 ID"),
                opt("share_code", Type.STRING, "分享码 / share code"));
        define("WeCom Contact Added", "wecom", "添加企微好友 / added the brand's WeCom contact",
                req("external_userid", Type.STRING, "企业微信外部联系人 ID"), req("staff_id", Type.STRING, "员工 UserID"),
                opt("state", Type.STRING, "渠道活码 state / contact-way state"),
                opt("welcome_code", Type.STRING, "欢迎语 code"));
        define("WeCom Contact Updated", "wecom", "编辑企微好友 / edited the WeCom contact",
                req("external_userid", Type.STRING, "企业微信外部联系人 ID"), req("staff_id", Type.STRING, "员工 UserID"));
        define("WeCom Contact Removed", "wecom", "删除企微好友 / removed the WeCom contact",
                req("external_userid", Type.STRING, "企业微信外部联系人 ID"), req("staff_id", Type.STRING, "员工 UserID"),
                opt("removed_by", Type.STRING, "customer (客户删员工) or staff (员工删客户)"));
        define("Group Joined", "wecom", "入群 / joined a customer group", req("chat_id", Type.STRING, "客户群 ID"),
                opt("join_scene", Type.INTEGER, "入群方式"));
        define("Group Left", "wecom", "退群 / left a customer group", req("chat_id", Type.STRING, "客户群 ID"),
                opt("quit_scene", Type.INTEGER, "退群方式"));
        define("Message Sent", "messaging", "消息已发送 / message sent", req("message_id", Type.STRING, "消息 ID"),
                req("channel", Type.STRING, "wecom, sms, email, ..."), opt("journey_id", Type.STRING, "旅程 ID"));
        define("Message Delivered", "messaging", "消息送达 / message delivered", req("message_id", Type.STRING, "消息 ID"),
                req("channel", Type.STRING, "渠道"));
        define("Message Opened", "messaging", "消息打开 / message opened", req("message_id", Type.STRING, "消息 ID"),
                req("channel", Type.STRING, "渠道"));
        define("Message Clicked", "messaging", "消息点击 / link in a message clicked", req("message_id", Type.STRING, "消息 ID"),
                req("channel", Type.STRING, "渠道"), opt("url", Type.STRING, "链接"));
        // Channels (issue 5, delivery receipts): a message the remote refused, or reported undelivered or bounced.
        define("Message Failed", "messaging", "消息发送失败 / message refused, undelivered or bounced",
                req("message_id", Type.STRING, "消息 ID"), req("channel", Type.STRING, "渠道"),
                opt("reason", Type.STRING, "原因 / the remote's reason, e.g. 43101, UNDELIV, 5.1.1"),
                opt("stage", Type.STRING, "send (refused when sent), delivery (report or bounce afterwards)"));
        define("Tag Assigned", "tag", "打标签 / a tag was given (manual, CRM, rule)",
                new Property("tag", Type.STRING, true, null, 64, "标签名 / tag name"),
                new Property("group", Type.STRING, false, null, 64, "互斥标签组 / mutually exclusive group"),
                opt("source", Type.STRING, "来源 / manual, import, crm, rule"));
        define("Tag Removed", "tag", "移除标签 / a tag was taken away",
                new Property("tag", Type.STRING, true, null, 64, "标签名 / tag name"), opt("source", Type.STRING, "来源"));
        define("Question Asked", "service", "咨询 / asked customer service", opt("conversation_id", Type.STRING, "会话 ID"),
                opt("intent", Type.STRING, "意图"));
        define("Review Submitted", "service", "评价 / submitted a review", opt("order_id", Type.STRING, "订单号"),
                new Property("rating", Type.INTEGER, true, 1.0, null, "评分 1–5"), opt("text", Type.STRING, "评价内容"));

        // Referral and help campaigns (issue 5, referral): a friend's touch and conversion ("Signed Up" and
        // "WeCom Contact Added" carry the share code as referral_code / state ref:<code>), and what came of them.
        define("Referral Link Opened", "referral", "打开分享链接 / opened a friend's share link",
                new Property("referral_code", Type.STRING, true, null, 32, "分享码 / share code"));
        define("Official Account Followed", "referral", "关注公众号 / followed the official account",
                new Property("referral_code", Type.STRING, false, null, 32, "分享码 / share code"),
                opt("scene", Type.STRING, "二维码场景值 / QR scene"));
        define("Official Account Unfollowed", "wechat", "取消关注公众号 / unfollowed the official account");
        define("Referral Attributed", "referral", "好友归因 / a new friend was attributed to a sharer",
                req("campaign_id", Type.STRING, "活动 ID"), req("referral_code", Type.STRING, "分享码 / share code"),
                opt("status", Type.STRING, "attributed or flagged"), opt("reason", Type.STRING, "风控原因 / why it was flagged"));
        define("Referral Rewarded", "referral", "裂变奖励 / referral reward given",
                req("campaign_id", Type.STRING, "活动 ID"), req("role", Type.STRING, "sharer, friend or task-owner"),
                opt("reference", Type.STRING, "分享码或任务 ID / share code or task id"), opt("coupon_ids", Type.STRING, "券码 / coupon codes"));
        define("Help Task Completed", "referral", "助力成功 / enough friends helped a task",
                req("campaign_id", Type.STRING, "活动 ID"), req("task_id", Type.STRING, "任务 ID / task id"));
        // privacy capability (issue 7): a person's consent per purpose, the engine's source of truth for it
        define("Consent Updated", "privacy", "更新授权 / consent given or withdrawn for one purpose",
                new Property("purpose", Type.STRING, true, null, 32, "用途 / marketing, personalisation or analytics"),
                new Property("consent", Type.STRING, true, null, 32, "授权 / all, necessary_only or refused"),
                new Property("source", Type.STRING, false, null, 100, "来源 / e.g. privacy-centre, agent, api"));
        // Customer-service centre (issue 6): tickets and complaints flow back into the profile.
        define("Ticket Opened", "service", "工单创建 / a service ticket was opened",
                req("ticket_id", Type.STRING, "工单号 / ticket id"), opt("queue", Type.STRING, "队列 / queue (skill)"),
                opt("priority", Type.STRING, "优先级 / NORMAL, HIGH, URGENT"), opt("reason", Type.STRING, "原因 / why it was opened"),
                opt("kind", Type.STRING, "类型 / handoff, return"));
        define("Ticket Closed", "service", "工单关闭 / a service ticket was closed",
                req("ticket_id", Type.STRING, "工单号 / ticket id"), opt("queue", Type.STRING, "队列 / queue"),
                new Property("csat", Type.INTEGER, false, 1.0, null, "满意度 1–5 / satisfaction score"));
        define("Complaint Filed", "service", "投诉 / the person complained or was angry",
                opt("ticket_id", Type.STRING, "工单号 / ticket id"), opt("sentiment", Type.STRING, "情绪 / angry, negative"),
                new Property("sentiment_score", Type.NUMBER, false, -1.0, null, "情绪分 -1–1 / sentiment score"),
                opt("complaint_type", Type.STRING, "投诉类型 / what the complaint is about (queue)"));
    }

    private EventDictionary() {}

    public static Optional<Schema> schema(String eventName) {
        return Optional.ofNullable(SCHEMAS.get(eventName));
    }

    public static List<Schema> all() {
        return List.copyOf(SCHEMAS.values());
    }

    /**
     * Checks an event's properties against its schema.
     *
     * @param path how the event is addressed in errors, e.g. {@code batch[2]}
     * @return violations naming {@code <path>.properties.<name>}; empty for custom events
     */
    public static List<Violation> validate(String eventName, JsonNode properties, String path) {
        Schema schema = SCHEMAS.get(eventName);
        if (schema == null) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        String prefix = path.isEmpty() ? "properties." : path + ".properties.";
        for (Property rule : schema.properties()) {
            JsonNode value = properties.get(rule.name());
            String field = prefix + rule.name();
            if (value == null || value.isNull()) {
                if (rule.required()) {
                    violations.add(new Violation(field, "required",
                            "'" + eventName + "' requires property '" + rule.name() + "' (" + rule.description() + ")"));
                }
                continue;
            }
            if (!hasType(value, rule.type())) {
                violations.add(new Violation(field, "type", "'" + rule.name() + "' must be " + article(rule.type())
                        + ", was " + describe(value)));
                continue;
            }
            if (rule.min() != null && value.isNumber() && value.doubleValue() < rule.min()) {
                violations.add(new Violation(field, "minimum", "'" + rule.name() + "' must be ≥ " + format(rule.min())
                        + ", was " + value));
            }
            if (rule.maxLength() != null && value.isString() && value.stringValue().length() > rule.maxLength()) {
                violations.add(new Violation(field, "max-length", "'" + rule.name() + "' must be at most "
                        + rule.maxLength() + " characters"));
            }
        }
        return violations;
    }

    private static boolean hasType(JsonNode value, Type type) {
        return switch (type) {
            case STRING -> value.isString() || value.isIntegralNumber(); // ids often arrive as numbers
            case NUMBER -> value.isNumber() || (value.isString() && isDecimal(value.stringValue()));
            case INTEGER -> value.isIntegralNumber();
            case BOOLEAN -> value.isBoolean();
            case ARRAY -> value.isArray();
            case OBJECT -> value.isObject();
        };
    }

    static boolean isDecimal(String s) {
        return DECIMAL.matcher(s).matches();
    }

    private static String article(Type type) {
        return switch (type) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
        };
    }

    private static String describe(JsonNode value) {
        if (value.isString()) {
            return "the string \"" + abbreviate(value.stringValue()) + "\"";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return abbreviate(value.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void define(String name, String category, String description, Property... properties) {
        SCHEMAS.put(name, new Schema(name, category, description, List.of(properties)));
    }

    private static Property req(String name, Type type, String description) {
        return new Property(name, type, true, null, null, description);
    }

    private static Property opt(String name, Type type, String description) {
        return new Property(name, type, false, null, null, description);
    }

    private static Property money(String name, boolean required, String description) {
        return new Property(name, Type.NUMBER, required, 0.0, null, description);
    }
}
