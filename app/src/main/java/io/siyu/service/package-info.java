/**
 * Customer-service centre: understands what a person writes ({@code nlu}), runs short task
 * dialogues against order and inventory systems ({@code dialogue}, {@code connector}), stores
 * conversations and hands hard cases to human agents as tickets ({@code conversation}).
 */
@NullMarked
package io.siyu.service;

import org.jspecify.annotations.NullMarked;
