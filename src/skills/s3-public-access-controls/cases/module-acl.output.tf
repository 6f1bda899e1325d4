variable "downloads_acl" {
  type    = string
  default = "public-read-write"
}

module "downloads" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "3.15.1"

  bucket = "acme-downloads"
  acl    = "private"

  control_object_ownership = true
  object_ownership         = "ObjectWriter"
}
