/**
 * Privacy and access control (PIPL): roles and their per-endpoint policy ({@code AccessPolicyTable}),
 * members, personal access tokens and OAuth2 client credentials issuing JWTs, per-key rate limits,
 * the hash-chained audit log ({@code AuditLog}), consent per person per purpose kept in engine state
 * ({@code ConsentBook}), data-subject access and erasure by crypto-shredding ({@code SubjectRights}),
 * and watermarked, watched segment exports.
 */
@NullMarked
package io.siyu.privacy;

import org.jspecify.annotations.NullMarked;
