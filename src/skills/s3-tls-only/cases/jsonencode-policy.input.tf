resource "aws_s3_bucket" "assets" {
  bucket = "acme-web-assets"
}

resource "aws_cloudfront_origin_access_identity" "assets" {
  comment = "web assets"
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # CloudFront reads objects through its origin access identity.
        Sid       = "CloudFrontRead"
        Effect    = "Allow"
        Principal = { AWS = aws_cloudfront_origin_access_identity.assets.iam_arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.assets.arn}/*"
      }
    ]
  })
}
