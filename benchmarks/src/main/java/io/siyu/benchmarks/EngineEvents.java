package io.siyu.benchmarks;

import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Engine events as the intake produces them (identifiers resolved, traits typed, money in fen,
 * original JSON kept as bytes), for benchmarks that bypass HTTP: person {@code p}'s event number
 * {@code round} of a 90-day history. Every string is a fresh instance, as parsing would make it,
 * so heap figures are not flattered by sharing.
 */
public final class EngineEvents {

    public static final int TENANT = 1;
    public static final int DAYS = 90;
    private static final long DAY_MS = 86_400_000L;
    static final String[] CATEGORIES = {"母婴", "美妆", "护肤", "服饰", "鞋包", "食品", "生鲜", "家居", "家电", "数码", "运动户外",
        "个护清洁", "宠物", "图书", "珠宝配饰"};
    static final String[] CITIES = {"上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "重庆", "西安", "苏州", "天津"};
    static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"};
    static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "秀英", "欣怡", "子涵", "浩然"};
    static final String[] STATES = {"douyin-ad", "store-qr", "live-stream", "xiaohongshu-note"};

    private final long start;
    private final int rounds;
    private final SplittableRandom random;

    /**
     * @param start epoch ms of the first day
     * @param rounds events per person; round {@code r} falls in the r-th slice of the 90 days
     */
    public EngineEvents(long seed, long start, int rounds) {
        this.start = start;
        this.rounds = rounds;
        this.random = new SplittableRandom(seed);
    }

    /** Mixes the person number so per-person traits look random but stay fixed. */
    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51_afd7_ed55_8ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ce_b9fe_1a85_ec53L;
        return x ^ (x >>> 33);
    }

    public Event event(int person, int round, long seq) {
        long h = mix(person + 0x5bd1e995L);
        boolean convertedVisitor = (h & 0xff) < 77; // ~30%: anonymous at first, merged on identify
        boolean phone = ((h >>> 8) & 0xff) < 154; // ~60%
        boolean wecom = ((h >>> 16) & 0xff) < 51; // ~20%
        long slot = DAYS * DAY_MS / rounds;
        long timestamp = start + round * slot + random.nextLong(slot);
        String user = "u" + (10_000_000 + person);
        String anonymous = new java.util.UUID(h, mix(h)).toString();
        List<Identifier> ids = new ArrayList<>(3);
        if (!(round == 0 && convertedVisitor)) {
            ids.add(new Identifier(IdentifierType.USER_ID, user));
        }
        ids.add(new Identifier(IdentifierType.ANONYMOUS_ID, anonymous));
        String channel = (h >>> 24 & 3) == 0 ? "web" : (h >>> 24 & 3) == 1 ? "miniprogram" : "app";
        String messageId = "m-" + person + "-" + round;
        byte[] context = ("{\"channel\":\"" + channel + "\",\"locale\":\"zh-CN\",\"ip\":\"10." + (h >>> 32 & 255) + "."
                + (h >>> 40 & 255) + ".7\",\"app\":{\"name\":\"演示品牌\",\"version\":\"5.2.0\"}}").getBytes(StandardCharsets.UTF_8);
        if (round == 0) {
            return new Event(TENANT, seq, EventKind.PAGE, "首页", timestamp, timestamp, messageId, ids, new Traits(), -1,
                    null, List.of(), channel, null, List.of(), new byte[0], context);
        }
        if (round == 1) {
            Traits traits = new Traits();
            traits.set("name", SURNAMES[(int) (h >>> 36 & 0xfff) % SURNAMES.length] + GIVEN[(int) (h >>> 48 & 0xfff) % GIVEN.length]);
            traits.set("gender", (h >>> 60 & 1) == 0 ? "female" : "male");
            traits.set("city", new String(CITIES[(int) ((h >>> 20) & 0xff) % CITIES.length]));
            traits.set("birthday", (1965 + (h >>> 28 & 31)) + "-0" + (1 + (h >>> 44 & 7)) + "-1" + (h >>> 52 & 7));
            traits.set("member_level", new String("普通会员"));
            List<Event.Sealed> sealed = List.of();
            if (phone) {
                ids.add(new Identifier(IdentifierType.PHONE_HASH, Long.toHexString(mix(h + 1)) + Long.toHexString(mix(h + 2))));
                traits.set("phone", "13" + (h >>> 4 & 7) + "****" + (1000 + (h >>> 12 & 0x1ff)));
                byte[] ciphertext = new byte[45];
                random.nextBytes(ciphertext);
                sealed = List.of(new Event.Sealed("phone", ciphertext));
            }
            return new Event(TENANT, seq, EventKind.IDENTIFY, "", timestamp, timestamp, messageId, ids, traits, -1, null,
                    List.of(), channel, null, sealed, new byte[0], context);
        }
        if (round == 2 && wecom) {
            ids.add(new Identifier(IdentifierType.WECOM_EXTERNAL_USERID, "wm" + Long.toString(h >>> 1, 36)));
            String state = STATES[(int) (h >>> 50 & 3)];
            byte[] properties = ("{\"external_userid\":\"wm" + Long.toString(h >>> 1, 36) + "\",\"staff_id\":\"zhangli\",\"state\":\""
                    + state + "\"}").getBytes(StandardCharsets.UTF_8);
            return new Event(TENANT, seq, EventKind.TRACK, "WeCom Contact Added", timestamp, timestamp, messageId, ids,
                    new Traits(), -1, null, List.of(), "wecom", state, List.of(), properties, context);
        }
        double r = random.nextDouble();
        int product = (int) Math.min(1_999, Math.floor(Math.pow(2_000, random.nextDouble()))); // heavy head
        String category = CATEGORIES[product % CATEGORIES.length];
        long priceFen = 990 + (product * 7_919L % 50_000);
        String name;
        long revenue = -1;
        String orderId = null;
        if (r < 0.60) {
            name = "Product Viewed";
        } else if (r < 0.70) {
            name = "Product Added";
        } else if (r < 0.75) {
            name = "Checkout Started";
        } else if (r < 0.78) {
            name = "Order Completed";
            revenue = priceFen;
            orderId = "SO" + person + "-" + round;
        } else if (r < 0.785) {
            name = "Order Refunded";
            revenue = priceFen;
            orderId = "SO" + person + "-" + (round - 1);
        } else if (r < 0.86) {
            name = "Product Searched";
        } else {
            return new Event(TENANT, seq, EventKind.SCREEN, "商品列表", timestamp, timestamp, messageId, ids, new Traits(), -1,
                    null, List.of(), channel, null, List.of(), new byte[0], context);
        }
        byte[] properties = ("{\"product_id\":\"p" + product + "\",\"sku\":\"SKU-" + product + "\",\"category\":\"" + category
                + "\",\"name\":\"轻盈" + category + "单品 A" + product + "\",\"price\":" + priceFen / 100 + "." + priceFen % 100
                + (orderId == null ? "" : ",\"order_id\":\"" + orderId + "\",\"total\":" + priceFen / 100)
                + ",\"currency\":\"CNY\"}").getBytes(StandardCharsets.UTF_8);
        return new Event(TENANT, seq, EventKind.TRACK, name, timestamp, timestamp, messageId, ids, new Traits(), revenue,
                orderId, name.equals("Product Searched") ? List.of() : List.of(new String(category)), channel, null,
                List.of(), properties, context);
    }
}
