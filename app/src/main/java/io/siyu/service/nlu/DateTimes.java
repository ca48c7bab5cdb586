package io.siyu.service.nlu;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chinese dates and times resolved against "now": relative days ("明天", "大后天", "三天后"),
 * weekdays ("上周五", "下礼拜一", "周日"; weeks start on Monday), calendar dates ("11月3号",
 * "2024年5月1日", "2024-05-01", "5/1") and times of day ("下午三点", "晚上8点半", "10:30"). A day
 * followed by a time becomes one {@code datetime} entity; a time alone is today.
 */
final class DateTimes {

    private static final String N = "(\\d{1,4}|[" + ChineseNumbers.ALL + "]{1,4})";
    private static final Pattern DAY = Pattern.compile(
            "(大后天|大前天|今天|今日|明天|明日|后天|昨天|昨日|前天)"
            + "|(上上|上|这|本|下下|下)?(?:个)?(周|星期|礼拜)([一二三四五六日天1-7])"
            + "|(?:(\\d{4})年)?" + N + "月" + N + "[日号]"
            + "|(\\d{4})-(\\d{1,2})-(\\d{1,2})"
            + "|(?<![\\d./])(\\d{1,2})/(\\d{1,2})(?![\\d/])"
            + "|" + N + "(?:天|日)(前|后|以后|之后)"
            + "|(?<![月\\d" + ChineseNumbers.ALL + "])" + N + "号(?![楼线门床机店仓码])");
    private static final Pattern TIME = Pattern.compile(
            "(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|夜里)?\\s?"
            + "(?:(\\d{1,2}):(\\d{2})|" + N + "[点時时](半|一刻|三刻|" + N + "分?)?)");

    private static final DateTimeFormatter ISO_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx");

    private DateTimes() {}

    static void extract(String text, ZonedDateTime now, List<Entity> out) {
        Matcher day = DAY.matcher(text);
        Matcher time = TIME.matcher(text);
        int from = 0;
        while (from < text.length()) {
            boolean dayFound = day.find(from);
            boolean timeFound = time.find(from);
            if (!dayFound && !timeFound) {
                return;
            }
            if (dayFound && (!timeFound || day.start() <= time.start())) {
                LocalDate date = resolveDay(day, now.toLocalDate());
                int end = day.end();
                if (date == null) {
                    from = end;
                    continue;
                }
                int t = end;
                while (t < text.length() && text.charAt(t) == ' ') {
                    t++;
                }
                LocalTime clock = time.find(t) && time.start() == t ? resolveTime(time) : null;
                if (clock != null) {
                    out.add(new Entity(Entity.DATETIME, ISO_MINUTES.format(date.atTime(clock).atZone(now.getZone())),
                            day.start(), time.end()));
                    from = time.end();
                } else {
                    out.add(new Entity(Entity.DATE, date.toString(), day.start(), end));
                    from = end;
                }
            } else {
                LocalTime clock = resolveTime(time);
                if (clock != null) {
                    out.add(new Entity(Entity.DATETIME, ISO_MINUTES.format(now.toLocalDate().atTime(clock).atZone(now.getZone())),
                            time.start(), time.end()));
                }
                from = time.end();
            }
        }
    }

    private static LocalDate resolveDay(Matcher m, LocalDate today) {
        try {
            if (m.group(1) != null) {
                return today.plusDays(switch (m.group(1)) {
                    case "今天", "今日" -> 0;
                    case "明天", "明日" -> 1;
                    case "后天" -> 2;
                    case "大后天" -> 3;
                    case "昨天", "昨日" -> -1;
                    case "前天" -> -2;
                    default -> -3;
                });
            }
            if (m.group(3) != null) {
                String w = m.group(4);
                int dow = "日天7".contains(w) ? 7 : Character.isDigit(w.charAt(0)) ? w.charAt(0) - '0' : ChineseNumbers.digit(w.charAt(0));
                int weeks = m.group(2) == null ? 0 : switch (m.group(2)) {
                    case "上上" -> -2;
                    case "上" -> -1;
                    case "下" -> 1;
                    case "下下" -> 2;
                    default -> 0;
                };
                LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(weeks);
                return monday.plusDays(dow - 1L);
            }
            if (m.group(6) != null) {
                int year = m.group(5) != null ? Integer.parseInt(m.group(5)) : today.getYear();
                return LocalDate.of(year, number(m.group(6)), number(m.group(7)));
            }
            if (m.group(8) != null) {
                return LocalDate.of(Integer.parseInt(m.group(8)), Integer.parseInt(m.group(9)), Integer.parseInt(m.group(10)));
            }
            if (m.group(11) != null) {
                return LocalDate.of(today.getYear(), Integer.parseInt(m.group(11)), Integer.parseInt(m.group(12)));
            }
            if (m.group(13) != null) {
                int days = number(m.group(13));
                return days < 0 ? null : today.plusDays(m.group(14).equals("前") ? -days : days);
            }
            if (m.group(15) != null) {
                int dom = number(m.group(15));
                return dom >= 1 && dom <= 31 ? today.withDayOfMonth(dom) : null;
            }
        } catch (DateTimeException | NumberFormatException e) {
            return null; // "13月40号" is not a date; the words stay plain text
        }
        return null;
    }

    private static LocalTime resolveTime(Matcher m) {
        String period = m.group(1);
        int hour;
        int minute = 0;
        if (m.group(2) != null) {
            hour = Integer.parseInt(m.group(2));
            minute = Integer.parseInt(m.group(3));
        } else {
            hour = number(m.group(4));
            String part = m.group(5);
            if (period == null && part == null && m.group(4).equals("一")) {
                return null; // "便宜一点", "快一点": a little, not one o'clock
            }
            if (part != null) {
                minute = switch (part) {
                    case "半" -> 30;
                    case "一刻" -> 15;
                    case "三刻" -> 45;
                    default -> number(m.group(6));
                };
            }
        }
        if (period != null) {
            boolean afternoon = switch (period) {
                case "下午", "傍晚", "晚上", "今晚", "夜里" -> hour < 12;
                case "中午" -> hour <= 2;
                default -> false;
            };
            if (afternoon) {
                hour += 12;
            }
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        return LocalTime.of(hour, minute);
    }

    private static int number(String s) {
        return Character.isDigit(s.charAt(0)) ? Integer.parseInt(s) : ChineseNumbers.parse(s);
    }
}
