package io.siyu.compliance;

import io.siyu.identity.Identifier;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Risk ratings of financial products, and the suitability check for one person and one product. */
@RestController
@RequestMapping("/api/v1/compliance")
class FinancialProductController {

    record Rating(@Nullable String riskLevel, @Nullable String name) {}

    private final FinancialProducts products;
    private final ProductSuitability suitability;
    private final ProfileDirectory profiles;

    FinancialProductController(FinancialProducts products, ProductSuitability suitability, ProfileDirectory profiles) {
        this.products = products;
        this.suitability = suitability;
        this.profiles = profiles;
    }

    @PutMapping("/products/{id}")
    ResponseEntity<FinancialProducts.Product> rate(TenantId tenant, @PathVariable String id, @RequestBody Rating body) {
        productId(id);
        if (body.riskLevel() == null) {
            throw new InvalidInput("riskLevel", "required", "riskLevel is required, R1–R5 / 缺少风险等级");
        }
        RiskLevel level = RiskLevel.parse(body.riskLevel()).orElseThrow(() ->
                new InvalidInput("riskLevel", "enum", "riskLevel must be R1–R5 / 风险等级须为 R1–R5"));
        FinancialProducts.Product product = new FinancialProducts.Product(id, level,
                Inputs.optionalText("name", body.name(), 200));
        boolean created = products.save(tenant, product);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(product);
    }

    @GetMapping("/products")
    List<FinancialProducts.Product> all(TenantId tenant, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "") String after) {
        return products.all(tenant, Inputs.limit(limit), after);
    }

    @GetMapping("/products/{id}")
    FinancialProducts.Product one(TenantId tenant, @PathVariable String id) {
        return products.find(tenant, productId(id)).orElseThrow(() -> new NotFound("product " + id + " is not rated"));
    }

    @DeleteMapping("/products/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String id) {
        if (!products.delete(tenant, productId(id))) {
            throw new NotFound("product " + id + " is not rated");
        }
    }

    /** {@code GET /suitability?identifier=phone:138…&product=P1}: may this person be offered this product? */
    @GetMapping("/suitability")
    Map<String, Object> suitability(TenantId tenant, @RequestParam String identifier, @RequestParam String product) {
        Identifier id;
        try {
            id = Identifier.parse(identifier);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
        ProfileView profile = profiles.find(tenant, id).orElseThrow(() -> new NotFound("no person with " + identifier));
        io.siyu.identity.PersonId person = io.siyu.identity.PersonId.parse(profile.id());
        Suitability answer = suitability.check(tenant, person, productId(product));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("person", profile.id());
        view.put("product", product);
        view.put("assessment", suitability.assessmentOf(tenant, person));
        view.put("suitable", answer.allowed());
        if (answer instanceof Suitability.Unsuitable unsuitable) {
            view.put("reason", unsuitable.reason());
        }
        return view;
    }

    private static String productId(String id) {
        if (id.isBlank() || id.length() > 128 || id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("product", "format", "product ids are 1–128 characters without control characters");
        }
        return id;
    }
}
