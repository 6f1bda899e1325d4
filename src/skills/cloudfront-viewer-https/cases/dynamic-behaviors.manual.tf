variable "behaviors" {
  type = list(object({ path = string, policy = string }))
}

resource "aws_cloudfront_distribution" "app" {
  enabled = true

  origin {
    domain_name = "app.example.com"
    origin_id   = "app"
  }

  default_cache_behavior {
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    target_origin_id       = "app"
    viewer_protocol_policy = "https-only"
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  dynamic "ordered_cache_behavior" {
    for_each = var.behaviors
    content {
      path_pattern           = ordered_cache_behavior.value.path
      allowed_methods        = ["GET", "HEAD"]
      cached_methods         = ["GET", "HEAD"]
      target_origin_id       = "app"
      viewer_protocol_policy = ordered_cache_behavior.value.policy
      cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
