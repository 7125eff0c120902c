-- Statistics of a period that ended before now count the customers created before its end: the campaign's customers
-- (tallies, 0014) less those of its lists created since, found by this index (imports append to it: created is the
-- import's time) rather than by reading every record of the campaign.
CREATE INDEX ix_records_list_created ON records (list_id, created);
