# Access logs for the public website.
resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"

  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
