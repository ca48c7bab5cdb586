package io.siyu.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns failures into RFC 9457 problem responses. Every 400 names the field and the rule; nothing
 * is answered with a bare status or a stack trace.
 */
@RestControllerAdvice
class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    static final String TYPE_BASE = "https://siyu.io/problems/";

    @ExceptionHandler(InvalidInput.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInput e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", e.getMessage(), request);
        problem.setProperty("errors", e.violations());
        return respond(problem, null);
    }

    @ExceptionHandler(PayloadTooLarge.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLarge e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                e.getMessage(), request);
        problem.setProperty("errors", List.of(new InvalidInput.Violation(e.field(), "max-size", e.getMessage())));
        problem.setProperty("limit", e.limit());
        return respond(problem, null);
    }

    @ExceptionHandler(Unauthorized.class)
    ResponseEntity<ProblemDetail> unauthorized(Unauthorized e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", e.getMessage(), request);
        return respond(problem, Map.of(HttpHeaders.WWW_AUTHENTICATE, e.scheme() + " realm=\"siyu\""));
    }

    @ExceptionHandler(Forbidden.class)
    ResponseEntity<ProblemDetail> forbidden(Forbidden e, HttpServletRequest request) {
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage(), request), null);
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), request), null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "no endpoint " + request.getMethod() + " " + request.getRequestURI(), request), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        String detail = "the body is not valid JSON of the expected shape";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail, request);
        problem.setProperty("errors", List.of(new InvalidInput.Violation("body", "json", rootMessage(e))));
        return respond(problem, null);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return invalid(new InvalidInput(e.getParameterName(), "required",
                "query parameter '" + e.getParameterName() + "' is required"), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return invalid(new InvalidInput(e.getHeaderName(), "required", "header '" + e.getHeaderName() + "' is required"),
                request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return invalid(new InvalidInput(e.getName(), "type", "'" + e.getValue() + "' is not a valid " + e.getName()),
                request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                e.getMessage(), request), null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                e.getMessage(), request), null);
    }

    @ExceptionHandler(RateLimited.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimited e, HttpServletRequest request) {
        return respond(problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", e.getMessage(),
                request), Map.of(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())));
    }

    @ExceptionHandler(ServiceUnavailable.class)
    ResponseEntity<ProblemDetail> unavailable(ServiceUnavailable e, HttpServletRequest request) {
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", e.getMessage(),
                request), Map.of(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds())));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the server failed; nothing from this request was acknowledged", request), null);
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, Map<String, String> headers) {
        var builder = ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (headers != null) {
            headers.forEach(builder::header);
        }
        return builder.body(problem);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
