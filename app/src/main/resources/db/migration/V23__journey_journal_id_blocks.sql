-- Issue 4: the journal writer reserves its row ids in blocks, in the order it encodes groups, so
-- two writers can COPY side by side and the journal still reads back in the groups' order. One
-- nextval is one block of 10,000 ids (the writer takes the block size from the sequence).
ALTER SEQUENCE journey_journal_id_seq INCREMENT BY 10000;
