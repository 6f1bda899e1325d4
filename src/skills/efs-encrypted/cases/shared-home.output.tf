resource "aws_efs_file_system" "home" {
  creation_token   = "shared-home"
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"
  encrypted        = true

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = {
    Name = "shared-home"
  }
}

resource "aws_efs_mount_target" "home_a" {
  file_system_id  = aws_efs_file_system.home.id
  subnet_id       = "subnet-0a1b2c3d4e5f60718"
  security_groups = ["sg-0123456789abcdef0"]
}

# Scratch space for the render farm; created by hand in 2021 and imported.
resource "aws_efs_file_system" "scratch" {
  creation_token = "render-scratch"
  encrypted      = true # imported as is
}
