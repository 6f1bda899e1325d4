module "exports_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.2"

  bucket = "acme-exports"

  versioning = {
    enabled = true
  }
}
