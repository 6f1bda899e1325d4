variable "access_log_bucket" {
  type    = string
  default = "acme-s3-access-logs"
}

# Where every bucket's access logs go: logging it into itself would loop.
resource "aws_s3_bucket" "access_logs" {
  bucket = var.access_log_bucket
}

variable "buckets" {
  type    = set(string)
  default = ["acme-a", "acme-b"]
}

resource "aws_s3_bucket" "per_team" {
  for_each = var.buckets
  bucket   = each.value
}

variable "logging" {
  type    = list(object({ target_bucket = string }))
  default = []
}

resource "aws_s3_bucket" "optional" {
  bucket = "acme-optional"

  dynamic "logging" {
    for_each = var.logging
    content {
      target_bucket = logging.value.target_bucket
    }
  }
}
