# Uploaded invoices, kept seven years.
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"

  tags = {
    team = "billing"
  }
}

resource "aws_s3_bucket_public_access_block" "invoices" {
  bucket                  = aws_s3_bucket.invoices.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
