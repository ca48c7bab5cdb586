/**
 * The bot's turn-taking: task forms with slot filling and validation (order status, address
 * change, return request, stock check) that call the order and inventory connectors, answers for
 * the other intents, and the interruptions that hand a person to a human (asked for a person,
 * anger or complaint, two turns in a row the bot did not understand). Plain Java, no storage:
 * {@link io.siyu.service.dialogue.DialogueState} is what the caller keeps between turns.
 */
@NullMarked
package io.siyu.service.dialogue;

import org.jspecify.annotations.NullMarked;
