/**
 * The service desk: stores conversations (person, channel, transcript) in PostgreSQL, runs each
 * incoming message through the NLU and the bot while the bot owns the conversation, opens tickets
 * on hand-off (priority, extractive summary, profile snapshot, transcript) and assigns them to the
 * least-loaded agent with the queue's skill, keeps SLA timers, takes agent replies and CSAT, and
 * reports service events back into the profile through ingestion.
 */
@NullMarked
package io.siyu.service.desk;

import org.jspecify.annotations.NullMarked;
