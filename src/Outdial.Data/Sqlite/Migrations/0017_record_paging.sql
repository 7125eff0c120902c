-- Record pages in id order by keyset (id > cursor): a campaign's page seeks into its own progress rows, a list's page
-- into its own records, instead of walking the file in id order past other campaigns' and lists' records.
-- Both keys grow with the ids an import appends, so imports add to the end of each index. IF NOT EXISTS: a store
-- set back to an older user_version (CompletionCounterTests) runs this again over its indexes.
CREATE INDEX IF NOT EXISTS ix_campaign_records_campaign ON campaign_records (campaign_id, record_id);
CREATE INDEX IF NOT EXISTS ix_records_list ON records (list_id);
