-- Reserved: 0017 is another branch's migration (record paging). This file only keeps the numbers contiguous on this
-- branch; the merge drops it for that branch's 0017.
SELECT 1;
