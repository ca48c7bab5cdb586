package io.siyu.engine;

import io.siyu.identity.Identifier;
import java.util.List;

/** Operators' standing rulings that two identifiers belong to different people. */
public interface IdentityRules {

    record Distinct(Identifier a, Identifier b) {}

    List<Distinct> distinctFor(int tenant);

    void addDistinct(int tenant, Distinct rule);
}
