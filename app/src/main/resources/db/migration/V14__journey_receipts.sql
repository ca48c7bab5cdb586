-- Issue 4 reporting: what became of each message a journey sent, from the Message Delivered /
-- Opened / Clicked events whose message_id is the journey's action id. First time only (unique
-- deliveries, opens and clicks per message).
ALTER TABLE journey_outbox
    ADD COLUMN delivered_at bigint,
    ADD COLUMN opened_at bigint,
    ADD COLUMN clicked_at bigint;
