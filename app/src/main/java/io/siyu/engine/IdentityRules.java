package io.siyu.engine;

import io.siyu.identity.Identifier;
import java.util.List;

/** Operators' standing rulings that two identifiers belong to different people. */
public interface IdentityRules {

    /** {@code a} and {@code b} are different people, as ruled when the log was at {@code sinceSeq}. */
    record Distinct(Identifier a, Identifier b, long sinceSeq) {}

    List<Distinct> distinctFor(int tenant);

    void addDistinct(int tenant, Distinct rule);
}
