module "website" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "acme-website"

  versioning = {
    enabled = true
  }

  logging = {
    target_bucket = "acme-s3-access-logs"
    target_prefix = "s3-access/website/"
  }
}

variable "logging" {
  type    = map(string)
  default = {}
}

module "exports" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "acme-exports"
  logging = {
    target_bucket = "acme-s3-access-logs"
    target_prefix = "s3-access/exports/"
  }
}
