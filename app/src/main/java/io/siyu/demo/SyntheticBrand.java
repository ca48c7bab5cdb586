package io.siyu.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A deterministic synthetic brand: a catalogue of about 2,000 products in 15 categories, its
 * people and the Segment messages they sent over the last {@value #DAYS} days.
 *
 * <p>What makes it look like a real brand: product popularity is Zipf-distributed, activity per
 * person is log-normal (a few people do most of the clicking), sessions follow view → add →
 * checkout → order with about 3% of product views ending in an order, some orders are refunded,
 * traffic has weekly and daily rhythm plus the Double 11 peak, and people arrive four ways:
 * logged-in members, anonymous visitors who later identify (an anonymous → identified merge),
 * anonymous visitors who never do, and WeCom contacts added through a channel QR code whose
 * {@code state} names the source ({@code douyin-ad}, {@code store-qr}, {@code live-stream}, ...).
 *
 * <p>Person {@code p} is generated from its own generator seeded with {@code (seed, p)}, so the
 * messages of a person are the same whichever thread or order generates them.
 */
final class SyntheticBrand {

    static final int DAYS = 90;
    static final int PRODUCTS = 2_000;
    private static final long DAY_MS = 86_400_000L;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final String ALGORITHM = "L64X128MixRandom";

    static final String[] CATEGORIES = {"母婴", "美妆", "护肤", "服饰", "鞋包", "食品", "生鲜", "家居", "家电", "数码", "运动户外",
        "个护清洁", "宠物", "图书", "珠宝配饰"};
    /** Typical price in yuan per category, the centre of a log-normal spread. */
    private static final int[] BASE_PRICE = {150, 220, 260, 199, 359, 49, 79, 129, 899, 1299, 299, 39, 89, 45, 599};
    /** Share of the catalogue per category. */
    private static final int[] CATALOGUE_WEIGHT = {10, 12, 10, 14, 6, 9, 4, 7, 4, 6, 5, 5, 3, 2, 3};
    private static final String[][] NOUNS = {
        {"纸尿裤", "婴儿奶粉", "婴儿推车", "安抚奶嘴", "儿童餐椅"}, {"口红", "粉底液", "眼影盘", "腮红", "卸妆油"},
        {"精华液", "面霜", "面膜", "防晒霜", "爽肤水"}, {"羊毛大衣", "针织衫", "牛仔裤", "连衣裙", "卫衣"},
        {"托特包", "运动鞋", "单肩包", "短靴", "双肩包"}, {"坚果礼盒", "挂耳咖啡", "螺蛳粉", "牛肉干", "燕麦片"},
        {"车厘子", "大闸蟹", "牛排", "三文鱼", "草莓"}, {"四件套", "乳胶枕", "收纳箱", "香薰蜡烛", "餐具套装"},
        {"空气炸锅", "扫地机器人", "吹风机", "洗碗机", "破壁机"}, {"蓝牙耳机", "智能手表", "平板电脑", "充电宝", "机械键盘"},
        {"瑜伽垫", "跑步鞋", "冲锋衣", "帐篷", "登山杖"}, {"洗发水", "沐浴露", "电动牙刷", "洗衣凝珠", "纸巾"},
        {"猫粮", "狗粮", "猫砂", "宠物玩具", "冻干零食"}, {"绘本", "小说", "漫画", "历史读物", "儿童百科"},
        {"项链", "手链", "耳钉", "戒指", "发夹"}};
    private static final String[] LINES = {"轻盈", "臻选", "经典", "植萃", "限定", "星空", "云朵", "国风", "极光", "山茶"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
        "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛",
        "明", "超", "秀英", "霞", "平", "刚", "桂英", "婷", "雪", "慧", "欣怡", "子涵", "梓轩", "雨桐", "浩然"};
    private static final String[] CITIES = {"上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "重庆", "西安", "苏州",
        "天津", "长沙", "郑州", "青岛", "宁波", "厦门", "合肥", "福州", "昆明"};
    private static final int[] CITY_WEIGHT = {16, 14, 10, 10, 9, 7, 6, 5, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 1, 1};
    static final String[] WECOM_STATES = {"douyin-ad", "store-qr", "live-stream", "xiaohongshu-note", "package-card",
        "wechat-moments-ad"};
    private static final int[] WECOM_STATE_WEIGHT = {30, 25, 20, 12, 8, 5};
    private static final String[] SEARCHES = {"防晒", "保温杯", "连衣裙", "奶粉", "口红", "双十一", "新品", "礼盒", "耳机", "猫粮"};
    private static final String[] STAFF = {"zhangli", "wangfang", "chenjing", "liuyang", "zhaomin", "sunhao"};
    /** Relative traffic per hour of the day, China time: quiet nights, lunch and the evening peak. */
    private static final int[] HOUR_WEIGHT = {5, 3, 2, 1, 1, 1, 2, 4, 6, 7, 8, 9, 11, 10, 8, 8, 8, 9, 10, 12, 14, 15, 13, 9};

    /** One catalogue item; prices in fen. */
    record Product(String id, String sku, String name, int category, long priceFen) {}

    /** How a person came to the brand. */
    enum Persona { MEMBER, CONVERTED_VISITOR, VISITOR, WECOM_LEAD }

    private final long seed;
    private final JsonMapper json;
    private final long now;
    private final long firstDayStart;
    private final double[] dayCdf;
    private final double[] hourCdf;
    private final Product[] products;
    private final double[] productCdf;
    private final int[][] productsByCategory;
    private final double[][] categoryCdf;
    private final int[] messagesPerPerson;

    /**
     * @param people how many people (at least 1)
     * @param messages how many messages in total; at least two per person
     * @param now the end of the 90 days, epoch ms
     */
    SyntheticBrand(long seed, int people, long messages, long now, JsonMapper json) {
        if (people < 1 || messages < 2L * people) {
            throw new IllegalArgumentException("need at least one person and two messages per person, was "
                    + people + " people and " + messages + " messages");
        }
        this.seed = seed;
        this.json = json;
        this.now = now;
        RandomGenerator random = generator(seed, -1);
        LocalDate today = Instant.ofEpochMilli(now).atZone(CHINA).toLocalDate();
        LocalDate first = today.minusDays(DAYS - 1);
        this.firstDayStart = first.atStartOfDay(CHINA).toInstant().toEpochMilli();
        double[] dayWeight = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            dayWeight[d] = dayWeight(first.plusDays(d), d);
        }
        this.dayCdf = cdf(dayWeight);
        this.hourCdf = cdf(Arrays.stream(HOUR_WEIGHT).asDoubleStream().toArray());
        this.products = catalogue(random);
        double[] zipf = new double[PRODUCTS];
        for (int rank = 0; rank < PRODUCTS; rank++) {
            zipf[rank] = 1.0 / Math.pow(rank + 1, 1.07);
        }
        this.productCdf = cdf(zipf);
        this.productsByCategory = new int[CATEGORIES.length][];
        this.categoryCdf = new double[CATEGORIES.length][];
        for (int c = 0; c < CATEGORIES.length; c++) {
            int category = c;
            productsByCategory[c] = java.util.stream.IntStream.range(0, PRODUCTS).filter(i -> products[i].category() == category).toArray();
            categoryCdf[c] = cdf(Arrays.stream(productsByCategory[c]).mapToDouble(i -> zipf[i]).toArray());
        }
        this.messagesPerPerson = activity(random, people, messages);
    }

    int people() {
        return messagesPerPerson.length;
    }

    Product product(int index) {
        return products[index];
    }

    /** The messages of one person, in the order they were sent. */
    List<ObjectNode> messagesOf(int person) {
        return new PersonScript(person).run();
    }

    private static RandomGenerator generator(long seed, long stream) {
        return RandomGeneratorFactory.<RandomGenerator>of(ALGORITHM).create(seed * 0x9E37_79B9_7F4A_7C15L + stream);
    }

    private static double dayWeight(LocalDate day, int index) {
        double weight = 1.0 + 0.3 * index / DAYS; // the brand is growing
        switch (day.getDayOfWeek()) {
            case SATURDAY, SUNDAY -> weight *= 1.25;
            default -> { }
        }
        int month = day.getMonthValue();
        int date = day.getDayOfMonth();
        if (month == 11 && date == 11) {
            weight *= 4.0; // Double 11
        } else if (month == 11 && date >= 1 && date <= 10) {
            weight *= 1.4; // pre-sales
        } else if (month == 10 && date <= 7) {
            weight *= 1.3; // National Day week
        } else if (month == 12 && date == 12) {
            weight *= 2.0; // Double 12
        } else if (month == 6 && date == 18) {
            weight *= 3.0; // 618
        }
        return weight;
    }

    private static Product[] catalogue(RandomGenerator random) {
        double[] categoryCdf = cdf(Arrays.stream(CATALOGUE_WEIGHT).asDoubleStream().toArray());
        Product[] products = new Product[PRODUCTS];
        for (int i = 0; i < PRODUCTS; i++) {
            int category = pick(categoryCdf, random);
            String[] nouns = NOUNS[category];
            String name = LINES[random.nextInt(LINES.length)] + nouns[random.nextInt(nouns.length)] + " "
                    + (char) ('A' + random.nextInt(26)) + (10 + random.nextInt(90));
            double yuan = BASE_PRICE[category] * Math.exp(0.5 * random.nextGaussian());
            long fen = Math.max(990, Math.round(yuan) * 100 - 10); // 129.90, the way shops price
            products[i] = new Product("p%04d".formatted(i), "SKU-%02d-%05d".formatted(category, i), name, category, fen);
        }
        return products;
    }

    /** Messages per person: log-normal (a long tail of heavy users), scaled to exactly {@code total}. */
    private static int[] activity(RandomGenerator random, int people, long total) {
        double mean = (double) total / people;
        double sigma = 1.2;
        double mu = Math.log(mean) - sigma * sigma / 2;
        double[] raw = new double[people];
        double sum = 0;
        for (int p = 0; p < people; p++) {
            raw[p] = Math.min(mean * 200, Math.exp(mu + sigma * random.nextGaussian()));
            sum += raw[p];
        }
        int[] counts = new int[people];
        long assigned = 0;
        for (int p = 0; p < people; p++) {
            counts[p] = (int) Math.max(2, Math.round(raw[p] * total / sum));
            assigned += counts[p];
        }
        while (assigned != total) { // rounding residue, a fraction of a percent of the total
            int p = random.nextInt(people);
            if (assigned < total) {
                counts[p]++;
                assigned++;
            } else if (counts[p] > 2) {
                counts[p]--;
                assigned--;
            }
        }
        return counts;
    }

    private static double[] cdf(double[] weights) {
        double[] cdf = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cdf[i] = sum;
        }
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int pick(double[] cdf, RandomGenerator random) {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    private static int pick(int[] weights, RandomGenerator random) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Writes one person's history: sessions in time order, within a budget of messages. */
    private final class PersonScript {

        private final int person;
        private final RandomGenerator random;
        private final List<ObjectNode> out = new ArrayList<>();
        private final int budget;
        private final Persona persona;
        private final String userId;
        private final String anonymousId;
        private final String wecomId;
        private final int favourite;
        private final String homeChannel;
        private boolean identified;
        private boolean hasWecom;
        private int orders;

        PersonScript(int person) {
            this.person = person;
            this.random = generator(seed, person);
            this.budget = messagesPerPerson[person];
            double r = random.nextDouble();
            this.persona = r < 0.35 ? Persona.MEMBER : r < 0.62 ? Persona.CONVERTED_VISITOR : r < 0.85 ? Persona.VISITOR
                    : Persona.WECOM_LEAD;
            this.userId = "u%07d".formatted(1_000_000 + person);
            this.anonymousId = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            this.wecomId = "wmDemo" + Long.toString(Math.abs(random.nextLong()) % 1_000_000_000_000L, 36) + person;
            this.favourite = pick(CATALOGUE_WEIGHT, random);
            String[] channels = {"app", "web", "miniprogram"};
            this.homeChannel = persona == Persona.WECOM_LEAD ? "miniprogram" : channels[pick(new int[] {45, 25, 30}, random)];
        }

        List<ObjectNode> run() {
            int sessions = Math.max(1, (int) Math.round(budget / 7.0));
            long[] starts = new long[sessions];
            for (int s = 0; s < sessions; s++) {
                starts[s] = sessionStart();
            }
            Arrays.sort(starts);
            int identifyAt = switch (persona) {
                case MEMBER -> 0;
                case CONVERTED_VISITOR -> Math.min(sessions - 1, 1 + random.nextInt(Math.max(1, sessions / 2)));
                case WECOM_LEAD -> random.nextDouble() < 0.5 ? Math.min(sessions - 1, 1 + random.nextInt(Math.max(1, sessions))) : -1;
                case VISITOR -> -1;
            };
            boolean memberAddsWecom = persona == Persona.MEMBER && random.nextDouble() < 0.3;
            for (int s = 0; s < sessions && out.size() < budget; s++) {
                long t = starts[s];
                String channel = homeChannel;
                if (persona == Persona.WECOM_LEAD && s == 0 || memberAddsWecom && s == sessions / 2 && sessions > 1) {
                    t = contactAdded(t);
                    channel = "miniprogram";
                }
                if (s == identifyAt) {
                    t = identify(t, channel);
                }
                int remainingSessions = sessions - s;
                int room = budget - out.size();
                int length = s == sessions - 1 ? room
                        : Math.max(1, Math.min(room, (int) Math.round(room / (double) remainingSessions * (0.3 + 1.4 * random.nextDouble()))));
                browse(t, channel, out.size() + length);
            }
            while (out.size() > budget) {
                out.removeLast();
            }
            return out;
        }

        private long sessionStart() {
            for (int attempt = 0; attempt < 8; attempt++) {
                long t = firstDayStart + pick(dayCdf, random) * DAY_MS + pick(hourCdf, random) * 3_600_000L
                        + random.nextLong(3_600_000L);
                if (t < now - 600_000L) {
                    return t;
                }
            }
            return now - 600_000L - random.nextLong(DAY_MS);
        }

        private long contactAdded(long t) {
            hasWecom = true;
            ObjectNode m = message("track", t, "wecom");
            m.put("event", "WeCom Contact Added");
            m.putObject("properties").put("external_userid", wecomId)
                    .put("staff_id", STAFF[random.nextInt(STAFF.length)])
                    .put("state", WECOM_STATES[pick(WECOM_STATE_WEIGHT, random)]);
            out.add(m);
            return t + 30_000L + random.nextLong(600_000L);
        }

        private long identify(long t, String channel) {
            identified = true;
            ObjectNode m = message("identify", t, channel);
            ObjectNode traits = m.putObject("traits");
            boolean female = random.nextDouble() < 0.62;
            traits.put("name", SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]);
            traits.put("gender", female ? "female" : "male");
            traits.put("city", CITIES[pick(CITY_WEIGHT, random)]);
            traits.put("birthday", LocalDate.of(1965 + random.nextInt(41), 1 + random.nextInt(12), 1 + random.nextInt(28)).toString());
            if (random.nextDouble() < 0.7) {
                traits.put("phone", "1" + (3 + random.nextInt(7)) + "%09d".formatted(random.nextInt(1_000_000_000)));
            }
            traits.put("member_level", random.nextDouble() < 0.8 ? "普通会员" : random.nextDouble() < 0.8 ? "银卡" : "金卡");
            out.add(m);
            t += 20_000L + random.nextLong(120_000L);
            if (persona != Persona.MEMBER) {
                ObjectNode signedUp = message("track", t, channel);
                signedUp.put("event", "Signed Up");
                signedUp.putObject("properties").put("method", channel.equals("miniprogram") ? "wechat" : "phone");
                out.add(signedUp);
                t += 10_000L;
            }
            return t;
        }

        /** One session: a landing page, then product views with the funnel behind them. */
        private void browse(long t, String channel, int until) {
            ObjectNode landing = message(channel.equals("app") ? "screen" : "page", t, channel);
            landing.put("name", random.nextDouble() < 0.7 ? "首页" : "活动会场");
            out.add(landing);
            while (out.size() < until) {
                t += 5_000L + random.nextLong(90_000L);
                double r = random.nextDouble();
                if (r < 0.08) {
                    ObjectNode search = message("track", t, channel);
                    search.put("event", "Product Searched");
                    search.putObject("properties").put("query", SEARCHES[random.nextInt(SEARCHES.length)]);
                    out.add(search);
                } else if (r < 0.10 && hasWecom) {
                    ObjectNode opened = message("track", t, "wecom");
                    opened.put("event", "Message Opened");
                    opened.putObject("properties").put("message_id", "msg-" + person + "-" + out.size()).put("channel", "wecom");
                    out.add(opened);
                } else if (r < 0.11) {
                    ObjectNode shared = message("track", t, channel);
                    shared.put("event", "Shared");
                    shared.putObject("properties").put("share_via", random.nextBoolean() ? "wechat_friend" : "moments");
                    out.add(shared);
                } else {
                    t = productView(t, channel, until);
                }
            }
        }

        private long productView(long t, String channel, int until) {
            Product product = random.nextDouble() < 0.5
                    ? products[productsByCategory[favourite][pick(categoryCdf[favourite], random)]]
                    : products[pick(productCdf, random)];
            productEvent("Product Viewed", t, channel, product).put("duration_ms", 2_000 + random.nextInt(60_000))
                    .put("price", BigDecimal.valueOf(product.priceFen(), 2));
            if (out.size() >= until || random.nextDouble() >= 0.08) {
                return t;
            }
            t += 10_000L + random.nextLong(60_000L);
            int quantity = random.nextDouble() < 0.85 ? 1 : 2 + random.nextInt(2);
            productEvent("Product Added", t, channel, product).put("quantity", quantity)
                    .put("price", BigDecimal.valueOf(product.priceFen(), 2));
            if (out.size() >= until || random.nextDouble() >= 0.5) {
                return t;
            }
            t += 20_000L + random.nextLong(120_000L);
            long total = product.priceFen() * quantity;
            ObjectNode checkout = message("track", t, channel);
            checkout.put("event", "Checkout Started");
            ObjectNode props = checkout.putObject("properties");
            props.put("value", BigDecimal.valueOf(total, 2)).put("currency", "CNY");
            products(props, product, quantity);
            out.add(checkout);
            if (out.size() >= until || random.nextDouble() >= 0.75) {
                return t;
            }
            t += 15_000L + random.nextLong(300_000L);
            String orderId = "SO%08d%03d".formatted(person, orders++);
            long discount = random.nextDouble() < 0.3 ? Math.min(total / 5, 1_000 + random.nextInt(5_000)) : 0;
            ObjectNode order = message("track", t, channel);
            order.put("event", "Order Completed");
            props = order.putObject("properties");
            props.put("order_id", orderId).put("total", BigDecimal.valueOf(total - discount, 2))
                    .put("revenue", BigDecimal.valueOf(total - discount, 2)).put("discount", BigDecimal.valueOf(discount, 2))
                    .put("shipping", BigDecimal.ZERO).put("currency", "CNY");
            products(props, product, quantity);
            out.add(order);
            if (out.size() < until && random.nextDouble() < 0.06) {
                long refundedAt = Math.min(now - 60_000L, t + DAY_MS + random.nextLong(7 * DAY_MS));
                ObjectNode refund = message("track", refundedAt, channel);
                refund.put("event", "Order Refunded");
                refund.putObject("properties").put("order_id", orderId).put("total", BigDecimal.valueOf(total - discount, 2))
                        .put("reason", random.nextBoolean() ? "尺码不合适" : "不想要了");
                out.add(refund);
            }
            return t;
        }

        /** Adds a product event and returns its properties for the caller to complete. */
        private ObjectNode productEvent(String event, long t, String channel, Product product) {
            ObjectNode m = message("track", t, channel);
            m.put("event", event);
            ObjectNode props = m.putObject("properties");
            props.put("product_id", product.id()).put("sku", product.sku()).put("category", CATEGORIES[product.category()])
                    .put("name", product.name());
            out.add(m);
            return props;
        }

        private void products(ObjectNode props, Product product, int quantity) {
            ArrayNode items = props.putArray("products");
            items.addObject().put("product_id", product.id()).put("sku", product.sku())
                    .put("category", CATEGORIES[product.category()]).put("name", product.name())
                    .put("price", BigDecimal.valueOf(product.priceFen(), 2)).put("quantity", quantity);
        }

        /** A message with the identifiers this person has at this point of their story. */
        private ObjectNode message(String type, long t, String channel) {
            ObjectNode m = json.createObjectNode();
            m.put("type", type);
            m.put("messageId", "demo-" + person + "-" + out.size());
            m.put("timestamp", Instant.ofEpochMilli(t).toString());
            boolean knownUser = persona == Persona.MEMBER || identified;
            if (knownUser || type.equals("identify")) {
                m.put("userId", userId);
            }
            if (!channel.equals("wecom") && (persona != Persona.WECOM_LEAD || identified || random.nextDouble() < 0.5)) {
                m.put("anonymousId", anonymousId);
            }
            ObjectNode context = m.putObject("context");
            context.put("channel", channel);
            if (hasWecom && (channel.equals("wecom") || channel.equals("miniprogram") || type.equals("identify"))) {
                context.putObject("identities").put("wecom_external_userid", wecomId);
            }
            context.put("locale", "zh-CN");
            if (channel.equals("app")) {
                context.putObject("app").put("name", "演示品牌").put("version", "5.2.0");
            }
            return m;
        }
    }
}
