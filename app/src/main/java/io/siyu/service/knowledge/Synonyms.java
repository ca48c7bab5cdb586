package io.siyu.service.knowledge;

import java.util.List;

/**
 * Words people use for the same thing in service chat. A query naming one member is expanded with
 * the others before retrieval, so "包裹到哪了" finds the FAQ written as "物流怎么查".
 */
final class Synonyms {

    static final List<List<String>> GROUPS = List.of(
            List.of("物流", "快递", "包裹", "运单", "配送"),
            List.of("退款", "退钱", "退货"),
            List.of("发票", "开票", "收据"),
            List.of("优惠券", "优惠码", "折扣码", "券"),
            List.of("积分", "会员点数"),
            List.of("地址", "收货地址", "收件地址"),
            List.of("密码", "登录"),
            List.of("发货", "寄出", "发出"),
            List.of("客服", "人工"),
            List.of("尺码", "码数", "大小"));

    private Synonyms() {}

    static String expand(String normalisedQuery) {
        StringBuilder out = new StringBuilder(normalisedQuery);
        for (List<String> group : GROUPS) {
            boolean hit = group.stream().anyMatch(normalisedQuery::contains);
            if (hit) {
                for (String word : group) {
                    if (!normalisedQuery.contains(word)) {
                        out.append(' ').append(word);
                    }
                }
            }
        }
        return out.toString();
    }
}
