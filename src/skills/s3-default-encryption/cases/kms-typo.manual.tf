resource "aws_kms_key" "ledger" {
  description         = "ledger bucket"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "ledger" {
  bucket = "acme-ledger"
}

# The key says KMS was meant; which algorithm is for a person to say.
resource "aws_s3_bucket_server_side_encryption_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id

  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.ledger.arn
      sse_algorithm     = "kms"
    }
  }
}
