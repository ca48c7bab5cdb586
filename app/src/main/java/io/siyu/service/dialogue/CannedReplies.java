package io.siyu.service.dialogue;

import io.siyu.platform.TenantId;
import io.siyu.service.nlu.Intents;
import java.util.Map;
import java.util.Optional;

/**
 * Default answers per intent, used when the knowledge base has nothing better; brands override
 * them with FAQs. Confidence 0.5: a generic answer is better than none but should not win over a
 * matching FAQ.
 */
public final class CannedReplies implements Answers {

    private static final Map<String, String[]> REPLIES = Map.ofEntries(
            Map.entry(Intents.GREETING, new String[] {"您好，我是智能客服小思，请问有什么可以帮您？", "Hello, I'm the service assistant. How can I help?"}),
            Map.entry(Intents.SHIPPING_TIME, new String[] {"现货订单一般 48 小时内发货，发货后江浙沪 1–2 天、其他地区 2–4 天送达；预售商品以商品页时间为准。",
                    "In-stock orders ship within 48 hours and arrive in 1–4 days; pre-sale items ship on the date shown on the product page."}),
            Map.entry(Intents.EXCHANGE, new String[] {"签收 7 天内、商品不影响二次销售即可换货：在「我的订单 → 申请售后 → 换货」选择新的尺码或颜色，寄回后我们会尽快发出新商品。",
                    "Within 7 days of delivery you can exchange an unused item: My orders → After-sales → Exchange, then send it back and we ship the new one."}),
            Map.entry(Intents.COUPON, new String[] {"优惠券在「我的 → 优惠券」查看，结算时会自动选用可用的券；每笔订单限用一张店铺券，是否可与平台券叠加以券面说明为准。",
                    "Find coupons under Me → Coupons; checkout applies an eligible one automatically. One shop coupon per order."}),
            Map.entry(Intents.PROMOTION, new String[] {"当前活动请查看首页「限时活动」专区，会员日为每月 18 日，活动规则以活动页为准。",
                    "Current promotions are on the home page under Limited-time offers; member day is the 18th of each month."}),
            Map.entry(Intents.PRODUCT_INFO, new String[] {"商品的材质、规格和适用人群在商品详情页「参数」一栏，如需具体建议请告诉我商品名称和您的情况。",
                    "Materials, specs and suitability are in the product page's Specs section; tell me the product and I can help more."}),
            Map.entry(Intents.INVOICE, new String[] {"订单完成后可在「订单详情 → 申请开票」开具电子发票（个人或企业抬头，企业请填写税号），开出后发送到您的邮箱；专票请提供开票资料后由人工处理。",
                    "After the order completes, request an e-invoice under Order details → Invoice (personal or company with tax id); it is e-mailed to you."}),
            Map.entry(Intents.ACCOUNT, new String[] {"登录或密码问题可在登录页点击「忘记密码」通过手机验证码重置；换绑手机、注销账号请在「设置 → 账号与安全」操作。",
                    "Reset your password from the login page via SMS code; change phone or delete the account under Settings → Account & security."}),
            Map.entry(Intents.MEMBERSHIP_POINTS, new String[] {"积分和会员等级可在「我的 → 会员中心」查看，每消费 1 元得 1 积分，100 积分可抵 1 元，积分有效期至次年年底。",
                    "Points and level are in Me → Membership: 1 point per yuan spent, 100 points = 1 yuan, valid until the end of next year."}),
            Map.entry(Intents.PAYMENT_ISSUE, new String[] {"支付失败请确认网络和银行卡限额后重试；如已扣款但订单未成功，款项一般会在 1–3 个工作日原路退回。",
                    "If payment failed, check your network and card limit and retry; money taken for a failed order returns within 1–3 working days."}),
            Map.entry(Intents.GOODBYE, new String[] {"不客气，祝您生活愉快！有问题随时找我。", "You're welcome, have a nice day!"}));

    @Override
    public Optional<Answer> find(TenantId tenant, String question, String intent) {
        String[] reply = REPLIES.get(intent);
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(new Answer(Voice.of(question).say(reply[0], reply[1]), 0.5, "canned"));
    }
}
