-- Issue 10 (trust): members no longer receive staff-only content (who holds a case, the
-- restricted-list flag, internal trail notes). A member's replica pulled before keeps none of
-- it either, so `verify` agrees with the server's member view.
UPDATE claim SET holder_login = NULL, restricted = NULL
 WHERE COALESCE((SELECT CASE WHEN json_valid(value) THEN json_extract(value, '$.role') END FROM meta WHERE key = 'account'),
                'member') = 'member';
UPDATE claim_trail SET note = NULL
 WHERE step IN ('限制名单标记', '转专家审核', '转调查处理', '专家审核', '调查处理')
   AND COALESCE((SELECT CASE WHEN json_valid(value) THEN json_extract(value, '$.role') END FROM meta WHERE key = 'account'),
                'member') = 'member';
