variable "data_disks" {
  type    = map(number)
  default = { "/dev/sdf" = 100 }
}

variable "encrypt_volumes" {
  type = bool
}

resource "aws_instance" "db" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "r6i.large"

  root_block_device {
    encrypted = true
  }

  dynamic "ebs_block_device" {
    for_each = var.data_disks
    content {
      device_name = ebs_block_device.key
      volume_size = ebs_block_device.value
      encrypted   = false
    }
  }
}

resource "aws_ebs_volume" "archive" {
  availability_zone = "eu-west-1a"
  size              = 1000
  encrypted         = var.encrypt_volumes
}
