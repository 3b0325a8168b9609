# Conditionals whose results are lists or maps (what two tuples of different lengths, or two objects
# of different attributes, unify to) beside tuples, objects and other collections, as cty unifies them.

variable "list_beside_tuple" {
  default = true ? (true ? [1] : [1, 2]) : [3]
}

variable "list_beside_tuple_taken" {
  default = false ? (true ? [1] : [1, 2]) : ["3"]
}

variable "list_beside_list" {
  default = true ? (true ? [1] : [1, 2]) : (true ? ["a"] : ["b", "c"])
}

variable "list_beside_empty_tuple" {
  default = true ? (true ? [1] : [1, 2]) : []
}

variable "map_beside_object" {
  default = true ? (true ? { a = 1 } : { b = 2 }) : { c = 3 }
}

variable "map_beside_object_taken" {
  default = false ? (true ? { a = 1 } : { b = 2 }) : { c = "x" }
}

variable "map_beside_empty_object" {
  default = true ? (true ? { a = 1 } : { b = 2 }) : {}
}

variable "map_beside_empty_object_taken" {
  default = false ? (true ? { a = 1 } : { b = 2 }) : {}
}

variable "map_beside_map" {
  default = true ? (true ? { a = 1 } : { b = 2 }) : (true ? { c = "s" } : { d = true })
}

variable "list_beside_object" {
  default = true ? (true ? [1] : [1, 2]) : { a = 1 }
}

variable "list_beside_map" {
  default = true ? (true ? [1] : [1, 2]) : (true ? { a = 1 } : { b = 2 })
}

variable "list_beside_string" {
  default = true ? (true ? [1] : [1, 2]) : "x"
}

variable "nested_lists" {
  default = true ? (true ? [[1]] : [[1], [2, 3]]) : [[4]]
}

variable "list_beside_tuple_of_tuples" {
  default = false ? (true ? [1] : [1, 2]) : [[1]]
}

variable "list_beside_tuple_of_null" {
  default = true ? (true ? [1] : [1, 2]) : [null]
}

variable "map_beside_object_of_null" {
  default = false ? (true ? { a = 1 } : { b = 2 }) : { c = null }
}

variable "lists_in_a_tuple" {
  default = [true ? [1] : [1, 2], false ? [3] : [4, 5]]
}

variable "list_in_tuples" {
  default = true ? [true ? [1] : [1, 2]] : [[3]]
}

variable "list_in_objects" {
  default = false ? { x = true ? [1] : [1, 2] } : { x = [3] }
}

variable "list_beside_bools" {
  default = true ? (true ? [1] : [1, 2]) : [true]
}

variable "list_beside_bools_taken" {
  default = false ? (true ? [1] : [1, 2]) : [true]
}

variable "list_indexed" {
  default = true ? (true ? [1] : [1, 2])[0] : 0
}

variable "map_attribute" {
  default = (true ? { a = 1 } : { b = 2 }).a
}

variable "list_splat" {
  default = (true ? [1, 2] : [1])[*]
}

variable "list_iterated" {
  default = [for x in (true ? [1, 2] : [1]) : x * 2]
}
