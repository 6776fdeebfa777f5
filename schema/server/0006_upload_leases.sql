-- Issue 10: one writer per tus upload, and one content store for every stored file.
--
-- A PATCH, a finishing HEAD or a DELETE takes the upload by setting lease_token/lease_until in
-- one compare-and-set UPDATE; a lease of another server run or past lease_until is free, so a
-- killed server never leaves an upload locked. `completed` (from 0002) is set in the same
-- UPDATE that records the last byte, after the whole file's hash passed.
ALTER TABLE upload ADD COLUMN lease_token TEXT;
ALTER TABLE upload ADD COLUMN lease_until TEXT;
CREATE INDEX upload_by_material ON upload (material_id);
CREATE INDEX upload_by_expiry ON upload (expires_at);

-- material_blob now lists every file of the content store (materials and the certificate
-- photos that move out of certificate_image). A file no material or registration refers to
-- is marked here and removed once the grace period has passed.
ALTER TABLE material_blob ADD COLUMN unreferenced_since TEXT;
CREATE INDEX claim_material_by_sha ON claim_material (sha256);
CREATE INDEX unit_registration_by_licence ON unit_registration (licence_sha256);
CREATE INDEX unit_registration_by_union_cert ON unit_registration (union_cert_sha256);
