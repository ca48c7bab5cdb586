package io.siyu.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-serialised ingestion requests: Segment messages of about 300–500 bytes from many distinct
 * people (views, cart adds, checkouts, orders, searches, pages and identifies with traits), each
 * with a 12-hex-digit hole in its {@code messageId} that {@link Request#stamp} fills before every
 * send, so no two events the server sees are duplicates.
 */
final class Payloads {

    static final int ID_DIGITS = 12;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String[] CATEGORIES = EngineEvents.CATEGORIES;
    private static final String[] AGENTS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50",
        "Mozilla/5.0 (Linux; Android 14; V2301A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"};

    /** One event as JSON, with the offset of its messageId hole. */
    record EventJson(byte[] bytes, int idOffset, boolean track) {}

    /** A request ready to write; {@code stamp} fills the messageId holes of its events. */
    record Request(byte[] bytes, int[] idOffsets, int events) {
        void stamp(long firstId) {
            for (int i = 0; i < idOffsets.length; i++) {
                long id = firstId + i;
                int at = idOffsets[i];
                for (int d = ID_DIGITS - 1; d >= 0; d--) {
                    bytes[at + d] = HEX[(int) (id & 15)];
                    id >>>= 4;
                }
            }
        }
    }

    private Payloads() {}

    static List<EventJson> events(int count, int people, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<EventJson> events = new ArrayList<>(count);
        String timestamp = Instant.now().minusSeconds(3_600).toString();
        for (int i = 0; i < count; i++) {
            double skew = random.nextDouble();
            int person = (int) (people * skew * skew); // some people far more active than others
            events.add(event(random, person, timestamp));
        }
        return events;
    }

    private static EventJson event(SplittableRandom random, int person, String timestamp) {
        StringBuilder json = new StringBuilder(512);
        double r = random.nextDouble();
        String type = r < 0.05 ? "identify" : r < 0.15 ? "page" : "track";
        json.append("{\"type\":\"").append(type).append('"');
        if (random.nextDouble() < 0.8) {
            json.append(",\"userId\":\"bu").append(10_000_000 + person).append('"');
        }
        json.append(",\"anonymousId\":\"").append(new java.util.UUID(person * 0x9E37_79B9_7F4A_7C15L, person)).append('"');
        json.append(",\"messageId\":\"bench-");
        int idOffset = json.length();
        json.append("0".repeat(ID_DIGITS)).append('"');
        json.append(",\"timestamp\":\"").append(timestamp).append('"');
        int product = (int) Math.min(1_999, Math.floor(Math.pow(2_000, random.nextDouble())));
        String category = CATEGORIES[product % CATEGORIES.length];
        long priceFen = 990 + product * 7_919L % 50_000;
        String price = priceFen / 100 + "." + "%02d".formatted(priceFen % 100);
        switch (type) {
            case "identify" -> {
                json.append(",\"traits\":{\"name\":\"").append(EngineEvents.SURNAMES[person % 12]).append(EngineEvents.GIVEN[person / 12 % 12])
                        .append("\",\"gender\":\"").append(person % 3 == 0 ? "male" : "female")
                        .append("\",\"city\":\"").append(EngineEvents.CITIES[person % 12])
                        .append("\",\"birthday\":\"").append(1970 + person % 35).append("-0").append(1 + person % 9).append("-1").append(person % 9)
                        .append("\",\"member_level\":\"普通会员\"");
                if (person % 5 < 2) {
                    json.append(",\"phone\":\"13").append(person % 10).append("%08d".formatted(person)).append('"');
                }
                json.append('}');
            }
            case "page" -> json.append(",\"name\":\"商品详情\",\"properties\":{\"path\":\"/p/").append(product)
                    .append("\",\"referrer\":\"https://www.douyin.com/\",\"title\":\"").append(category).append(" 精选\"}");
            default -> {
                double e = random.nextDouble();
                String event = e < 0.70 ? "Product Viewed" : e < 0.82 ? "Product Added" : e < 0.88 ? "Checkout Started"
                        : e < 0.91 ? "Order Completed" : "Product Searched";
                json.append(",\"event\":\"").append(event).append("\",\"properties\":{");
                if (event.equals("Product Searched")) {
                    json.append("\"query\":\"").append(category).append(" 新品\"}");
                } else {
                    json.append("\"product_id\":\"p").append(product).append("\",\"sku\":\"SKU-").append(product)
                            .append("\",\"category\":\"").append(category).append("\",\"name\":\"轻盈").append(category)
                            .append("单品 A").append(product).append("\",\"price\":").append(price);
                    if (event.equals("Order Completed")) {
                        json.append(",\"order_id\":\"SO").append(person).append('-').append(random.nextInt(1_000_000))
                                .append("\",\"total\":").append(price).append(",\"currency\":\"CNY\"");
                    } else if (event.equals("Product Added")) {
                        json.append(",\"quantity\":1");
                    }
                    json.append('}');
                }
            }
        }
        String channel = person % 3 == 0 ? "web" : person % 3 == 1 ? "app" : "miniprogram";
        json.append(",\"context\":{\"channel\":\"").append(channel).append("\",\"ip\":\"10.").append(person >> 16 & 255)
                .append('.').append(person >> 8 & 255).append('.').append(person & 255)
                .append("\",\"locale\":\"zh-CN\",\"userAgent\":\"").append(AGENTS[person % AGENTS.length]).append("\"}}");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int byteOffset = json.substring(0, idOffset).getBytes(StandardCharsets.UTF_8).length;
        return new EventJson(bytes, byteOffset, type.equals("track"));
    }

    /** {@code POST /v1/batch} requests of {@code size} events each, using every event once. */
    static List<Request> batches(List<EventJson> events, int size, String host, String writeKey) {
        List<Request> requests = new ArrayList<>();
        for (int from = 0; from + size <= events.size(); from += size) {
            byte[][] parts = new byte[size][];
            int length = "{\"batch\":[".length() + "]}".length() + size - 1;
            for (int i = 0; i < size; i++) {
                parts[i] = events.get(from + i).bytes();
                length += parts[i].length;
            }
            byte[] head = head("/v1/batch", host, writeKey, length);
            byte[] bytes = new byte[head.length + length];
            System.arraycopy(head, 0, bytes, 0, head.length);
            int at = head.length;
            at = put(bytes, at, "{\"batch\":[".getBytes(StandardCharsets.US_ASCII));
            int[] offsets = new int[size];
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    bytes[at++] = ',';
                }
                offsets[i] = at + events.get(from + i).idOffset();
                at = put(bytes, at, parts[i]);
            }
            put(bytes, at, "]}".getBytes(StandardCharsets.US_ASCII));
            requests.add(new Request(bytes, offsets, size));
        }
        return requests;
    }

    /** {@code POST /v1/track} requests, one track event each. */
    static List<Request> singles(List<EventJson> events, String host, String writeKey) {
        List<Request> requests = new ArrayList<>();
        for (EventJson event : events) {
            if (!event.track()) {
                continue;
            }
            byte[] head = head("/v1/track", host, writeKey, event.bytes().length);
            byte[] bytes = new byte[head.length + event.bytes().length];
            System.arraycopy(head, 0, bytes, 0, head.length);
            put(bytes, head.length, event.bytes());
            requests.add(new Request(bytes, new int[] {head.length + event.idOffset()}, 1));
        }
        return requests;
    }

    private static byte[] head(String path, String host, String writeKey, int contentLength) {
        String auth = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        return ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(byte[] target, int at, byte[] source) {
        System.arraycopy(source, 0, target, at, source.length);
        return at + source.length;
    }
}
