/**
 * Customer-service centre: understands what a person writes ({@code nlu}), runs short task
 * dialogues against order and inventory systems ({@code dialogue}, {@code connector}), answers from
 * the brand's FAQ ({@code knowledge}), stores conversations and hands hard cases to human agents as
 * tickets ({@code desk}), and takes conversations in from WeCom Customer Service ({@code wecom}).
 */
@NullMarked
package io.siyu.service;

import org.jspecify.annotations.NullMarked;
