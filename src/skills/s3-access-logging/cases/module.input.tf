module "website" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "acme-website"

  versioning = {
    enabled = true
  }
}

variable "logging" {
  type    = map(string)
  default = {}
}

module "exports" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket  = "acme-exports"
  logging = var.logging
}
