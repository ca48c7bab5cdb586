package io.siyu.benchmarks;

import io.siyu.action.ContentGate;
import io.siyu.compliance.lexicon.Entry;
import io.siyu.compliance.lexicon.Lexicon;
import io.siyu.compliance.lexicon.ShippedLexicon;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic content-compliance workload: a 50,000-term Chinese lexicon (the shipped terms
 * plus generated 2–6 character terms) and marketing copy of a given length. Term characters come
 * 70% from ~500 frequent characters (uniformly) and 30% from the whole CJK block; copy characters
 * 90% Zipf-weighted from the frequent ones and 10% from the block, so terms and copy share
 * characters as real ones do. Copy has punctuation every few characters, a number with % or 元
 * every ~50 characters and a shipped term about every 1,000.
 */
public final class ComplianceCorpus {

    /** Frequent Chinese characters, roughly in frequency order. */
    static final String FREQUENT = "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知使长此两实本现想回开手工全样已外进最被现门高些力理学问利体点月正新应几位很部高变明话度听意度并比特等加动务结政次真万没物平色象给品运关件场总先反活却件因线内头队数次入给重接市百手间业品化信老元北南西东带何新相期及入位教感传界至路社张系区保建机候非交料务放此比情美由专完商单产品价优惠活动会员积分礼包下单购买限时抢购包邮福利新品上市门店服务客户体验质量品牌正品官方旗舰店铺精选推荐热卖爆款折扣满减领取优惠券秒杀预售到货发货快递售后退换咨询顾问专属定制护肤美妆面膜精华口红香水母婴奶粉尿裤零食饮料咖啡茶叶水果生鲜家居家电手机电脑数码服装鞋包运动户外健康养生理财基金保险存款贷款信用卡账户收益风险投资年化利率期限本金到期赎回申购净值持仓";

    private ComplianceCorpus() {}

    /** The shipped entries plus generated flag terms, {@code size} entries in all, all distinct. */
    public static List<Entry> lexicon(int size, long seed) {
        Random random = new Random(seed);
        List<Entry> entries = new ArrayList<>(ShippedLexicon.entries());
        Set<String> seen = new LinkedHashSet<>();
        entries.forEach(e -> seen.add(e.term()));
        while (entries.size() < size) {
            int roll = random.nextInt(100);
            int length = roll < 5 ? 2 : roll < 30 ? 3 : roll < 70 ? 4 : roll < 90 ? 5 : 6;
            StringBuilder term = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                term.append(random.nextInt(100) < 70 ? FREQUENT.charAt(random.nextInt(FREQUENT.length())) : uniform(random));
            }
            if (seen.add(term.toString())) {
                entries.add(Entry.flag(term.toString(), "tenant", "tenant:generated", ContentGate.Verdict.REVIEW));
            }
        }
        return entries;
    }

    /** Marketing-style copy of exactly {@code length} characters. */
    public static String copy(int length, long seed) {
        Random random = new Random(seed);
        List<Entry> shipped = ShippedLexicon.entries();
        String[] punctuation = {"，", "。", "！", " ", "、", "：", "～", "\n"};
        StringBuilder text = new StringBuilder(length + 16);
        int untilPunctuation = 6 + random.nextInt(12);
        int untilTerm = 500 + random.nextInt(1000);
        while (text.length() < length) {
            if (--untilTerm == 0) {
                text.append(shipped.get(random.nextInt(shipped.size())).term());
                untilTerm = 500 + random.nextInt(1000);
            } else if (--untilPunctuation == 0) {
                text.append(punctuation[random.nextInt(punctuation.length)]);
                untilPunctuation = 6 + random.nextInt(12);
            } else if (random.nextInt(100) < 2) {
                text.append(random.nextInt(1000)).append(random.nextBoolean() ? "%" : "元");
            } else {
                text.append(random.nextInt(100) < 90 ? frequent(random) : uniform(random));
            }
        }
        return text.substring(0, length);
    }

    private static char frequent(Random random) {
        // Zipf-like: rank r drawn with probability ~ 1/r
        double u = random.nextDouble();
        int rank = (int) Math.floor(Math.pow(FREQUENT.length() + 1, u)) - 1;
        return FREQUENT.charAt(Math.min(rank, FREQUENT.length() - 1));
    }

    private static char uniform(Random random) {
        return (char) (0x4E00 + random.nextInt(0x9FA5 - 0x4E00));
    }

    /** Prints the workload's shape: {@code java ... io.siyu.benchmarks.ComplianceCorpus}. */
    public static void main(String[] args) {
        long started = System.nanoTime();
        List<Entry> entries = lexicon(50_000, 7);
        Lexicon lexicon = Lexicon.of(entries);
        long built = System.nanoTime() - started;
        String copy = copy(10_000, 11);
        ContentGate.Result result = lexicon.check(copy);
        System.out.printf("entries %,d, states %,d, automaton %,d bytes, built in %d ms%n", lexicon.size(),
                lexicon.automaton().states(), lexicon.automaton().bytes(), built / 1_000_000);
        System.out.printf("copy %,d chars: verdict %s, %d findings%n", copy.length(), result.verdict(), result.findings().size());
        System.out.println(copy.substring(0, 200));
    }
}
