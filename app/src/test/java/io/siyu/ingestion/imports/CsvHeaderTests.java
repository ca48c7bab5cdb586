package io.siyu.ingestion.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.siyu.platform.InvalidInput;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CsvHeaderTests {

    private final JsonNodeFactory nodes = JsonMapper.builder().build().getNodeFactory();

    @Test
    void typesNumbersOnlyWhereTheEventSchemaDeclaresThem() {
        CsvHeader header = CsvHeader.parse(List.of("event", "userId", "properties.order_id", "properties.total",
                "properties.note"), Kind.EVENTS, nodes);

        ObjectNode message = converted(header.convert(row("Order Completed", "u1", "0031", "12.50", "42")));

        assertThat(message.get("type").stringValue()).isEqualTo("track");
        assertThat(message.at("/properties/order_id").isString()).isTrue();
        assertThat(message.at("/properties/order_id").stringValue()).isEqualTo("0031");
        assertThat(message.at("/properties/total").isNumber()).isTrue();
        assertThat(message.at("/properties/total").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(message.at("/properties/note").isString()).isTrue();
    }

    @Test
    void leavesNumbersOfCustomEventsAsText() {
        CsvHeader header = CsvHeader.parse(List.of("event", "userId", "properties.total"), Kind.EVENTS, nodes);

        ObjectNode message = converted(header.convert(row("Lottery Drawn", "u1", "12")));

        assertThat(message.at("/properties/total").isString()).isTrue();
    }

    @Test
    void fillsDotPathsAndIdentifierColumnsAndLeavesEmptyCellsOut() {
        CsvHeader header = CsvHeader.parse(List.of("event", "anonymousId", "phone", "context.identities.unionid",
                "traits.city", "context.campaign.source"), Kind.EVENTS, nodes);

        ObjectNode message = converted(header.convert(row("Signed Up", "a1", "13812341234", "", "上海", "poster")));

        assertThat(message.at("/context/identities/phone").stringValue()).isEqualTo("13812341234");
        assertThat(message.at("/context/identities").has("unionid")).isFalse();
        assertThat(message.at("/traits/city").stringValue()).isEqualTo("上海");
        assertThat(message.at("/context/campaign/source").stringValue()).isEqualTo("poster");
    }

    @Test
    void namesMessageFieldsInErrorsByTheColumnThatFillsThem() {
        CsvHeader header = CsvHeader.parse(List.of("userId", " phone ", "traits.city"), Kind.PROFILES, nodes);

        assertThat(header.nameOf("context.identities.phone")).isEqualTo("phone");
        assertThat(header.nameOf("traits.city")).isEqualTo("traits.city");
        assertThat(header.nameOf("timestamp")).isEqualTo("timestamp");
    }

    @Test
    void readsPlainProfileColumnsAsTraitsOfAnIdentifyCall() {
        CsvHeader header = CsvHeader.parse(List.of("email", "会员等级", "traits.age"), Kind.PROFILES, nodes);

        ObjectNode message = converted(header.convert(row("a@b.cn", "金卡", "30")));

        assertThat(message.get("type").stringValue()).isEqualTo("identify");
        assertThat(message.at("/context/identities/email").stringValue()).isEqualTo("a@b.cn");
        assertThat(message.at("/traits/会员等级").stringValue()).isEqualTo("金卡");
        assertThat(message.at("/traits/age").stringValue()).isEqualTo("30");
    }

    @Test
    void refusesARowWithADifferentNumberOfColumns() {
        CsvHeader header = CsvHeader.parse(List.of("event", "userId"), Kind.EVENTS, nodes);

        assertThat(header.convert(row("Signed Up"))).isInstanceOfSatisfying(Conversion.Refused.class, refused -> {
            assertThat(refused.reason().field()).isEqualTo("line");
            assertThat(refused.reason().rule()).isEqualTo("columns");
        });
    }

    @Test
    void rejectsUnknownRepeatedAndOverlappingColumnsNamingTheHeader() {
        assertThatThrownBy(() -> CsvHeader.parse(List.of("event", "userId", "colour", "userId", "properties.a",
                "properties.a.b", ""), Kind.EVENTS, nodes))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations())
                        .extracting(InvalidInput.Violation::field, InvalidInput.Violation::rule)
                        .containsExactlyInAnyOrder(
                                tuple("header", "unknown-column"),
                                tuple("header", "empty-column"),
                                tuple("header", "unique"),
                                tuple("header", "conflict")));
    }

    @Test
    void refusesAHostileHeaderQuicklyWithAFewErrors() {
        List<String> tooMany = Collections.nCopies(30_000, "a");
        List<String> repeated = Collections.nCopies(CsvHeader.MAX_COLUMNS, "traits.a");

        assertThatThrownBy(() -> CsvHeader.parse(tooMany, Kind.PROFILES, nodes))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations().getFirst().rule()).isEqualTo("max-columns"));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(
                () -> CsvHeader.parse(repeated, Kind.PROFILES, nodes))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations()).hasSizeLessThanOrEqualTo(20)));
    }

    @Test
    void takesAProfileFileWithoutAnIdentifierColumnForOneWithoutAHeader() {
        assertThatThrownBy(() -> CsvHeader.parse(List.of("u1", "Alice", "VIP"), Kind.PROFILES, nodes))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.violations().getFirst().field()).isEqualTo("header");
                    assertThat(e.violations().getFirst().rule()).isEqualTo("required");
                });
    }

    private static Row.Fields row(String... values) {
        return new Row.Fields(2, List.of(values), String.join(",", values));
    }

    private static ObjectNode converted(Conversion conversion) {
        assertThat(conversion).isInstanceOf(Conversion.Converted.class);
        return ((Conversion.Converted) conversion).message();
    }
}
