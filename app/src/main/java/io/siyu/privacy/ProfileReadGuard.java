package io.siyu.privacy;

import io.siyu.identity.PersonId;
import io.siyu.platform.Caller;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileView;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every profile the management API returns passes here on its way out: a person who was erased is
 * not found, the read is audited (who read whom, through which endpoint), and personal traits and
 * identifiers are masked for every role but admin. Sealed traits (e-mail, ID number, address) are
 * opened here for an admin, and shown by the masks they carry to everyone else. The profile capability knows nothing of it.
 */
@RestControllerAdvice
class ProfileReadGuard implements ResponseBodyAdvice<ProfileView> {

    private final PersonalReads reads;
    private final FieldCipher cipher;

    ProfileReadGuard(PersonalReads reads, FieldCipher cipher) {
        this.reads = reads;
        this.cipher = cipher;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return ProfileView.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public @Nullable ProfileView beforeBodyWrite(@Nullable ProfileView body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (body == null || !(request instanceof ServletServerHttpRequest servlet)) {
            return body;
        }
        HttpServletRequest http = servlet.getServletRequest();
        Caller caller = (Caller) http.getAttribute(Caller.REQUEST_ATTRIBUTE);
        PersonId person = PersonId.parse(body.id());
        TenantId tenant = new TenantId(person.tenant());
        reads.admit(tenant, person, "profile.read", http);
        // a masked read shows the masks sealed values carry; only an admin's read decrypts
        return caller == null || caller.role() != Role.ADMIN ? ProfileMasks.mask(body) : SealedTraits.open(cipher, tenant, body);
    }
}
